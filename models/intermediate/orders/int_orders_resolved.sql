-- Real orders up to the as-of date with their resolved customer (null for anonymous
-- orders), canonical status flags and their rank in the customer's order history.
with

orders as (
    select * from {{ ref('int_orders_deduplicated') }}
),

customer_records as (
    select * from {{ ref('int_customer_records') }}
    where record_type = 'order'
),

statuses as (
    select * from {{ ref('order_statuses') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

resolved as (
    select
        orders.*,
        customer_records.customer_id,
        customer_records.customer_id is null as is_anonymous,
        statuses.is_placed,
        statuses.is_cancelled,
        statuses.is_refunded
    from orders
    cross join as_of
    inner join customer_records on orders.order_id = customer_records.record_id
    inner join statuses on orders.order_status = statuses.order_status
    where orders.order_date <= as_of.as_of_date
),

final as (
    select
        *,
        case
            when customer_id is not null and is_placed
                then row_number() over (
                    partition by customer_id, is_placed
                    order by ordered_at, order_id
                )
        end as customer_order_number
    from resolved
)

select * from final
