-- One row per real order up to the as-of date, across every channel, with its
-- resolved customer (null for anonymous orders). No personal data.
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
),

final as (
    select
        order_id,
        customer_id,
        is_anonymous,
        source_system,
        source_order_ref,
        channel,
        channel_detail,
        ordered_at,
        ordered_at_local,
        order_date,
        order_status,
        is_placed,
        is_cancelled,
        is_refunded,
        currency_code,
        cast(order_total_amount as decimal(18, 2)) as order_total_amount,
        cast(order_total_reporting as decimal(18, 2)) as order_total_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency,
        cast(customer_order_number as integer) as customer_order_number,
        coalesce(customer_order_number = 1, false) as is_first_order,
        utm_source,
        utm_campaign,
        province,
        city,
        store_id,
        merged_order_id as merged_copy_order_id,
        has_merged_copy
    from orders
)

select * from final
