-- Every raw campaign-send row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'send_id', 'campaign_id', 'campaign_name', 'channel', 'variant', 'member_id',
    'recipient', 'assigned_at', 'sent_at', 'opened_at', 'clicked_at', 'redeemed_at',
    'redeemed_order_ref',
] %}

with

source as (
    select * from {{ source('marketing', 'sends') }}
),

parsed as (
    select
        *,
        nullif(trim(send_id), '') as parsed_send_id,
        {{ parse_timestamp_utc('assigned_at') }} as parsed_assigned_at
    from source
),

validated as (
    select
        *,
        case
            when parsed_send_id is null then 'missing_key'
            when parsed_assigned_at is null then 'unparseable_timestamp'
            when cast(parsed_assigned_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when {{ is_unknown_value('marketing', 'sends', 'channel') }}
                then 'unknown_channel'
            when {{ is_unknown_value('marketing', 'sends', 'variant') }}
                then 'unknown_variant'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_send_id'],
    ) | indent(4) }}
)

select * from triaged
