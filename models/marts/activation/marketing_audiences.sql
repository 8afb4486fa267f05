-- The daily trigger audiences for marketing automation as of the as-of date: one row per
-- customer, trigger and entry date still in the trigger's listing window, for customers
-- eligible on at least one channel (consent, no opt-out, an address), with the channel
-- to use, a hashed contact key and the deterministic holdout flag. No personal data.
with

purchase_entries as (
    select * from {{ ref('int_audience_entries_purchase_triggered') }}
),

calendar_entries as (
    select * from {{ ref('int_audience_entries_calendar_triggered') }}
),

vip_entries as (
    select * from {{ ref('int_audience_entries_vip_triggered') }}
),

browse_entries as (
    select * from {{ ref('int_audience_entries_browse_triggered') }}
),

windows as (
    select * from {{ ref('int_audience_triggers_windowed') }}
),

channels as (
    select * from {{ ref('int_customer_channels_consented') }}
    where contact_channel is not null
),

entries as (
    select * from purchase_entries
    union all
    select * from calendar_entries
    union all
    select * from vip_entries
    union all
    select * from browse_entries
),

members as (
    select
        entries.customer_id,
        entries.trigger_key,
        windows.trigger_priority,
        entries.entry_date,
        windows.as_of_date,
        {{ dbt.datediff('entries.entry_date', 'windows.as_of_date', 'day') }}
            as days_since_entry,
        entries.trigger_reference,
        channels.is_email_eligible,
        channels.is_sms_eligible,
        channels.is_wechat_eligible,
        channels.contact_channel,
        channels.contact_key_hash,
        {{ hash_bucket(
            "entries.customer_id || '|' || entries.trigger_key || '|' || '"
            ~ (var('activation_holdout_salt') | string | replace("'", "''")) ~ "'"
        ) }} as holdout_bucket
    from entries
    inner join windows on entries.trigger_key = windows.trigger_key
    inner join channels on entries.customer_id = channels.customer_id
),

final as (
    select
        cast(customer_id as varchar) as customer_id,
        cast(trigger_key as varchar) as trigger_key,
        cast(entry_date as date) as entry_date,
        cast(as_of_date as date) as as_of_date,
        cast(days_since_entry + 1 as integer) as day_in_audience,
        cast(trigger_priority as integer) as trigger_priority,
        cast(trigger_reference as varchar) as trigger_reference,
        cast(is_email_eligible as boolean) as is_email_eligible,
        cast(is_sms_eligible as boolean) as is_sms_eligible,
        cast(is_wechat_eligible as boolean) as is_wechat_eligible,
        cast(contact_channel as varchar) as contact_channel,
        cast(contact_key_hash as varchar) as contact_key_hash,
        cast(holdout_bucket as integer) as holdout_bucket,
        cast(holdout_bucket < {{ var('activation_holdout_percent') }} as boolean) as is_holdout
    from members
)

select * from final
