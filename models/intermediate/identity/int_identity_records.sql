-- Every identifier observed on a customer record up to the as-of date: one row per
-- (record, identifier). Records are orders (a web-shop copy of a marketplace order
-- lends its email and phone to the marketplace order) and CRM customers. Placeholder
-- contacts are already null. Personal data: intermediate only.
with

orders as (
    select * from {{ ref('int_orders_unioned') }}
),

feed_copies as (
    select * from {{ ref('int_order_feed_copies') }}
),

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

order_records as (
    select
        coalesce(feed_copies.surviving_order_id, orders.order_id) as record_id,
        'order' as record_type,
        orders.customer_email,
        orders.customer_phone,
        orders.member_id,
        orders.app_user_id,
        orders.loyalty_card,
        case when orders.source_system = 'tmall' then orders.marketplace_buyer_id end
            as tmall_buyer_id,
        case when orders.source_system = 'jd' then orders.marketplace_buyer_id end
            as jd_buyer_id,
        cast(null as varchar) as full_name
    from orders
    cross join as_of
    left join feed_copies on orders.order_id = feed_copies.copy_order_id
    where orders.order_date <= as_of.as_of_date
),

crm_records as (
    select
        'crm:' || crm_customers.customer_id as record_id,
        'crm_customer' as record_type,
        case when not crm_customers.is_placeholder_email then crm_customers.customer_email end
            as customer_email,
        case when not crm_customers.is_placeholder_phone then crm_customers.customer_phone end
            as customer_phone,
        crm_customers.customer_id as member_id,
        cast(null as varchar) as app_user_id,
        crm_customers.loyalty_card_no as loyalty_card,
        cast(null as varchar) as tmall_buyer_id,
        cast(null as varchar) as jd_buyer_id,
        lower(trim(crm_customers.full_name)) as full_name
    from crm_customers
    cross join as_of
    where coalesce(crm_customers.signup_date, as_of.as_of_date) <= as_of.as_of_date
),

records as (
    select * from order_records
    union all
    select * from crm_records
),

{%- set identifier_columns = [
    ('crm_id', 'member_id'),
    ('app_user_id', 'app_user_id'),
    ('loyalty_card', 'loyalty_card'),
    ('tmall_buyer_id', 'tmall_buyer_id'),
    ('jd_buyer_id', 'jd_buyer_id'),
    ('email', 'customer_email'),
    ('phone', 'customer_phone'),
] %}

final as (
    {%- for identifier_type, column in identifier_columns %}
        select distinct
            record_id,
            record_type,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value,
            full_name
        from records
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
