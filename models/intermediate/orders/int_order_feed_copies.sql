-- Web-shop orders that are copies of a Tmall / JD order (the shop's order system
-- imports marketplace orders with the platform order number in `external_order_ref`),
-- with the marketplace order they duplicate.
with

orders as (
    select * from {{ ref('int_orders_unioned') }}
),

marketplace_orders as (
    select * from orders
    where source_system in ('tmall', 'jd')
),

final as (
    select
        orders.order_id as copy_order_id,
        min(marketplace_orders.order_id) as surviving_order_id
    from orders
    inner join marketplace_orders
        on orders.external_order_ref = marketplace_orders.source_order_ref
    where orders.source_system = 'web_shop'
    group by orders.order_id
)

select * from final
