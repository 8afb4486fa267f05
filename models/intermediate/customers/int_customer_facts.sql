-- One row per resolved customer as of the as-of date (CRM members without orders
-- included): order history, habits, products, returns, service and the CRM profile, all
-- from information dated up to the as-of date. No personal data: the birthday is only a
-- birth month and an age band.
{%- set channels = ['web_shop', 'app', 'store', 'tmall', 'jd'] %}

with

customer_records as (
    select * from {{ ref('int_customer_records') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

order_facts as (
    select * from {{ ref('int_customer_order_facts') }}
),

preferences as (
    select * from {{ ref('int_customer_order_preferences') }}
),

item_facts as (
    select * from {{ ref('int_customer_item_facts') }}
),

service_facts as (
    select * from {{ ref('int_customer_service_facts') }}
),

profiles as (
    select * from {{ ref('int_customer_profiles') }}
),

customers as (
    select distinct customer_id from customer_records
    where customer_id is not null
),

final as (
    select
        customers.customer_id,
        as_of.as_of_date,
        order_facts.first_order_date,
        order_facts.last_order_date,
        coalesce(order_facts.order_count, 0) as order_count,
        coalesce(order_facts.purchase_day_count, 0) as purchase_day_count,
        coalesce(order_facts.gross_spend_reporting, 0) as gross_spend_reporting,
        coalesce(item_facts.refunds_reporting, 0) as refunds_reporting,
        coalesce(order_facts.gross_spend_reporting, 0)
        - coalesce(item_facts.refunds_reporting, 0) as net_spend_reporting,
        cast(
            order_facts.gross_spend_reporting / nullif(order_facts.order_count, 0)
            as decimal(18, 2)
        ) as average_order_value_reporting,
        {{ dbt.datediff('order_facts.first_order_date', 'as_of.as_of_date', 'day') }}
            as tenure_days,
        order_facts.mean_days_between_orders,
        order_facts.median_days_between_orders,
        {{ dbt.datediff('order_facts.last_order_date', 'as_of.as_of_date', 'day') }}
            as days_since_last_order,
        coalesce(item_facts.units_purchased, 0) as units_purchased,
        coalesce(item_facts.category_count, 0) as category_count,
        item_facts.top_category_id,
        {%- for channel in channels %}
            coalesce(order_facts.order_count_{{ channel }}, 0) as order_count_{{ channel }},
        {%- endfor %}
        preferences.preferred_channel,
        preferences.preferred_purchase_hour,
        preferences.preferred_purchase_weekday,
        coalesce(item_facts.return_count, 0) as return_count,
        coalesce(item_facts.returned_units, 0) as returned_units,
        cast(
            item_facts.returned_units * 1.0 / nullif(item_facts.units_purchased, 0)
            as decimal(10, 4)
        ) as return_rate,
        coalesce(service_facts.ticket_count, 0) as ticket_count,
        service_facts.last_nps_score,
        service_facts.last_nps_at,
        order_facts.acquisition_channel,
        order_facts.acquisition_campaign,
        profiles.customer_id is not null as is_crm_member,
        profiles.gender,
        profiles.birth_month,
        profiles.age_band,
        coalesce(profiles.province, preferences.order_province) as province,
        case
            when profiles.province is not null then profiles.city
            else preferences.order_city
        end as city,
        profiles.signup_date,
        coalesce(profiles.has_email_consent, false) as has_email_consent,
        coalesce(profiles.has_sms_consent, false) as has_sms_consent,
        coalesce(profiles.has_wechat_consent, false) as has_wechat_consent,
        coalesce(profiles.is_opted_out, false) as is_opted_out
    from customers
    cross join as_of
    left join order_facts on customers.customer_id = order_facts.customer_id
    left join preferences on customers.customer_id = preferences.customer_id
    left join item_facts on customers.customer_id = item_facts.customer_id
    left join service_facts on customers.customer_id = service_facts.customer_id
    left join profiles on customers.customer_id = profiles.customer_id
)

select * from final
