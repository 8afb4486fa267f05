-- One row per resolved customer as of the as-of date: who they are (masked), how they
-- buy, what they are worth, how they feel. The customer dimension BI tools join to.
-- Emails and phones appear only as salted hashes and masks.
with

facts as (
    select * from {{ ref('int_customer_facts') }}
),

contacts as (
    select * from {{ ref('int_customer_contacts') }}
),

source_ids as (
    select
        customer_id,
        count(*) as source_id_count
    from {{ ref('customer_source_ids') }}
    group by customer_id
),

final as (
    select
        facts.customer_id,
        {{ hash_pii('contacts.primary_email') }} as email_hash,
        {{ mask_email('contacts.primary_email') }} as email_masked,
        {{ hash_pii('contacts.primary_phone') }} as phone_hash,
        {{ mask_phone('contacts.primary_phone') }} as phone_masked,
        cast(coalesce(contacts.email_count, 0) as integer) as email_count,
        cast(coalesce(contacts.phone_count, 0) as integer) as phone_count,
        cast(coalesce(source_ids.source_id_count, 0) as integer) as source_id_count,
        cast(facts.as_of_date as date) as as_of_date,
        cast(facts.first_order_date as date) as first_order_date,
        cast(facts.last_order_date as date) as last_order_date,
        cast(facts.order_count as bigint) as order_count,
        cast(facts.purchase_day_count as bigint) as purchase_day_count,
        cast(facts.gross_spend_reporting as decimal(18, 2)) as gross_spend_reporting,
        cast(facts.refunds_reporting as decimal(18, 2)) as refunds_reporting,
        cast(facts.net_spend_reporting as decimal(18, 2)) as net_spend_reporting,
        cast(facts.average_order_value_reporting as decimal(18, 2))
            as average_order_value_reporting,
        cast(facts.tenure_days as bigint) as tenure_days,
        cast(facts.mean_days_between_orders as decimal(10, 2)) as mean_days_between_orders,
        cast(facts.median_days_between_orders as decimal(10, 2)) as median_days_between_orders,
        cast(facts.days_since_last_order as bigint) as days_since_last_order,
        cast(facts.units_purchased as bigint) as units_purchased,
        cast(facts.category_count as bigint) as category_count,
        cast(facts.top_category_id as varchar) as top_category_id,
        cast(facts.order_count_web_shop as bigint) as order_count_web_shop,
        cast(facts.order_count_app as bigint) as order_count_app,
        cast(facts.order_count_store as bigint) as order_count_store,
        cast(facts.order_count_tmall as bigint) as order_count_tmall,
        cast(facts.order_count_jd as bigint) as order_count_jd,
        cast(facts.preferred_channel as varchar) as preferred_channel,
        cast(facts.preferred_purchase_hour as integer) as preferred_purchase_hour,
        cast(facts.preferred_purchase_weekday as integer) as preferred_purchase_weekday,
        cast(facts.return_count as bigint) as return_count,
        cast(facts.returned_units as bigint) as returned_units,
        cast(facts.return_rate as decimal(10, 4)) as return_rate,
        cast(facts.ticket_count as bigint) as ticket_count,
        cast(facts.last_nps_score as integer) as last_nps_score,
        cast(facts.last_nps_at as timestamp) as last_nps_at,
        cast(facts.acquisition_channel as varchar) as acquisition_channel,
        cast(facts.acquisition_campaign as varchar) as acquisition_campaign,
        cast(facts.is_crm_member as boolean) as is_crm_member,
        cast(facts.gender as varchar) as gender,
        cast(facts.birth_month as integer) as birth_month,
        cast(facts.age_band as varchar) as age_band,
        cast(facts.province as varchar) as province,
        cast(facts.city as varchar) as city,
        cast(facts.signup_date as date) as signup_date,
        cast(facts.has_email_consent as boolean) as has_email_consent,
        cast(facts.has_sms_consent as boolean) as has_sms_consent,
        cast(facts.has_wechat_consent as boolean) as has_wechat_consent,
        cast(facts.is_opted_out as boolean) as is_opted_out
    from facts
    left join contacts on facts.customer_id = contacts.customer_id
    left join source_ids on facts.customer_id = source_ids.customer_id
)

select * from final
