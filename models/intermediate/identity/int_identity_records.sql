-- Every identifier observed on a customer record up to the as-of date: one row per
-- (record, identifier). Records are orders (a web-shop copy of a marketplace order
-- lends its email and phone to the marketplace order), CRM customers, and service
-- contacts: a ticket or survey answer about an order lends the member id, email and phone
-- it gives to that order; one about no known order, and a marketing send, is a record of
-- its own. Placeholder contacts are excluded. Personal data: intermediate only.
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

tickets as (
    select * from {{ ref('stg_after_sales__tickets') }}
),

nps_responses as (
    select * from {{ ref('stg_surveys__nps_responses') }}
),

sends as (
    select * from {{ ref('stg_marketing__sends') }}
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
        crm_customers.tmall_buyer_id,
        crm_customers.jd_buyer_id,
        lower(trim(crm_customers.full_name)) as full_name
    from crm_customers
    cross join as_of
    where coalesce(crm_customers.signup_date, as_of.as_of_date) <= as_of.as_of_date
),

order_keys as (
    select distinct record_id from order_records
),

service_contacts as (
    select
        'ticket:' || ticket_id as own_record_id,
        'ticket' as own_record_type,
        source_system || ':' || order_ref as order_id,
        member_id,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        opened_at as contacted_at
    from tickets
    union all
    select
        'nps:' || response_id as own_record_id,
        'nps_response' as own_record_type,
        touchpoint || ':' || order_ref as order_id,
        member_id,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        responded_at as contacted_at
    from nps_responses
    union all
    select
        'send:' || send_id as own_record_id,
        'marketing_send' as own_record_type,
        cast(null as varchar) as order_id,
        member_id,
        case when not is_placeholder_email then recipient_email end as customer_email,
        case when not is_placeholder_phone then recipient_phone end as customer_phone,
        assigned_at as contacted_at
    from sends
),

service_records as (
    select
        coalesce(
            feed_copies.surviving_order_id, order_keys.record_id, service_contacts.own_record_id
        )
            as record_id,
        case
            when order_keys.record_id is not null then 'order'
            else service_contacts.own_record_type
        end as record_type,
        service_contacts.customer_email,
        service_contacts.customer_phone,
        service_contacts.member_id,
        cast(null as varchar) as app_user_id,
        cast(null as varchar) as loyalty_card,
        cast(null as varchar) as tmall_buyer_id,
        cast(null as varchar) as jd_buyer_id,
        cast(null as varchar) as full_name
    from service_contacts
    cross join as_of
    left join feed_copies on service_contacts.order_id = feed_copies.copy_order_id
    left join order_keys
        on
            coalesce(feed_copies.surviving_order_id, service_contacts.order_id)
            = order_keys.record_id
    where
        cast({{ utc_to_local('service_contacts.contacted_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
),

records as (
    select * from order_records
    union all
    select * from crm_records
    union all
    select * from service_records
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
