-- What every customer with a placed order up to the as-of date bought and sent back:
-- units, categories, the top category, returns and refunds. A return counts when it was
-- requested (business date) up to the as-of date on one of the customer's placed orders
-- and not rejected; only approved or refunded returns (not exchanges) refund money. An
-- order with status `refunded` is refunded in full whatever its return rows say; refunds
-- of any other order are capped at its total (int_placed_orders_netted), and its returned
-- units at its units.
with

items as (
    select * from {{ ref('int_order_items_resolved') }}
    where customer_id is not null and is_placed
),

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where customer_id is not null and is_placed
),

netted_orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

returns as (
    select * from {{ ref('stg_after_sales__returns') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

category_totals as (
    select
        customer_id,
        category_id,
        cast(sum(quantity) as bigint) as units,
        sum(line_amount_reporting) as spend_reporting
    from items
    where category_id is not null
    group by customer_id, category_id
),

top_categories as (
    select
        customer_id,
        category_id,
        row_number() over (
            partition by customer_id
            order by units desc, spend_reporting desc, category_id asc
        ) as category_rank
    from category_totals
),

item_totals as (
    select
        customer_id,
        cast(sum(quantity) as bigint) as units_purchased,
        count(distinct category_id) as category_count
    from items
    group by customer_id
),

counted_returns as (
    select
        orders.customer_id,
        orders.order_id,
        returns.quantity
    from returns
    cross join as_of
    inner join orders on returns.source_system || ':' || returns.order_ref = orders.order_id
    where
        coalesce(returns.return_status, '') <> 'rejected'
        and cast({{ utc_to_local('returns.requested_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
),

order_units as (
    select
        order_id,
        sum(quantity) as units
    from items
    group by order_id
),

-- Returned units of an order are capped at the units of its kept lines: a return can name
-- a line that staging quarantined (a negative quantity, say).
order_returned_units as (
    select
        counted_returns.customer_id,
        counted_returns.order_id,
        count(*) as return_count,
        least(sum(counted_returns.quantity), coalesce(max(order_units.units), 0))
            as returned_units
    from counted_returns
    left join order_units on counted_returns.order_id = order_units.order_id
    group by counted_returns.customer_id, counted_returns.order_id
),

return_totals as (
    select
        customer_id,
        sum(return_count) as return_count,
        cast(sum(returned_units) as bigint) as returned_units
    from order_returned_units
    group by customer_id
),

refund_totals as (
    select
        customer_id,
        sum(refunds_reporting) as refunds_reporting
    from netted_orders
    group by customer_id
),

final as (
    select
        refund_totals.customer_id,
        coalesce(item_totals.units_purchased, 0) as units_purchased,
        coalesce(item_totals.category_count, 0) as category_count,
        top_categories.category_id as top_category_id,
        coalesce(return_totals.return_count, 0) as return_count,
        coalesce(return_totals.returned_units, 0) as returned_units,
        refund_totals.refunds_reporting
    from refund_totals
    left join item_totals on refund_totals.customer_id = item_totals.customer_id
    left join top_categories
        on
            refund_totals.customer_id = top_categories.customer_id
            and top_categories.category_rank = 1
    left join return_totals on refund_totals.customer_id = return_totals.customer_id
)

select * from final
