-- Per customer and channel (email, SMS, WeChat): may we send marketing there as of the
-- as-of date? Consent yes, no opt-out by the date, and an address for the channel. Then
-- the channel to use, first eligible in var `activation_channel_preference`, and the
-- salted hash of its address as the contact key. No contact leaves this model in clear.
{%- set channels = ['email', 'sms', 'wechat'] %}
{%- set preference = var('activation_channel_preference') %}
{%- for channel in preference if channel not in channels %}
    {{ exceptions.raise_compiler_error(
        "Var 'activation_channel_preference' may only list " ~ channels
        ~ ", got '" ~ channel ~ "'."
    ) }}
{%- endfor %}

with

facts as (
    select * from {{ ref('int_customer_facts') }}
),

contacts as (
    select * from {{ ref('int_customer_contacts') }}
),

eligibility as (
    select
        facts.customer_id,
        facts.has_email_consent,
        facts.has_sms_consent,
        facts.has_wechat_consent,
        facts.is_opted_out,
        contacts.primary_email,
        contacts.primary_phone,
        facts.has_email_consent and not facts.is_opted_out
        and contacts.primary_email is not null as is_email_eligible,
        facts.has_sms_consent and not facts.is_opted_out
        and contacts.primary_phone is not null as is_sms_eligible,
        facts.has_wechat_consent and not facts.is_opted_out
        and contacts.primary_phone is not null as is_wechat_eligible
    from facts
    left join contacts on facts.customer_id = contacts.customer_id
),

chosen as (
    select
        *,
        case
            {%- for channel in preference %}
                when is_{{ channel }}_eligible then '{{ channel }}'
            {%- endfor %}
        end as contact_channel
    from eligibility
),

final as (
    select
        customer_id,
        has_email_consent,
        has_sms_consent,
        has_wechat_consent,
        is_opted_out,
        primary_email is not null as has_email_address,
        primary_phone is not null as has_phone_number,
        coalesce(is_email_eligible, false) as is_email_eligible,
        coalesce(is_sms_eligible, false) as is_sms_eligible,
        coalesce(is_wechat_eligible, false) as is_wechat_eligible,
        contact_channel,
        case
            when contact_channel = 'email' then {{ hash_pii('primary_email') }}
            when contact_channel in ('sms', 'wechat') then {{ hash_pii('primary_phone') }}
        end as contact_key_hash
    from chosen
)

select * from final
