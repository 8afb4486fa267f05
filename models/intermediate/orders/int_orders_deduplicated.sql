-- One row per real order: a web-shop copy of a marketplace order is merged into the
-- marketplace order (the system of record), which records the copy it absorbed.
with

orders as (
    select * from {{ ref('int_orders_unioned') }}
),

feed_copies as (
    select * from {{ ref('int_order_feed_copies') }}
),

merged_copies as (
    select
        surviving_order_id,
        min(copy_order_id) as merged_order_id
    from feed_copies
    group by surviving_order_id
),

final as (
    select
        orders.*,
        merged_copies.merged_order_id,
        merged_copies.merged_order_id is not null as has_merged_copy
    from orders
    left join feed_copies on orders.order_id = feed_copies.copy_order_id
    left join merged_copies on orders.order_id = merged_copies.surviving_order_id
    where feed_copies.copy_order_id is null
)

select * from final
