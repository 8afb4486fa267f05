-- Return and exchange requests that count in return rates: requested (business date) up
-- to the as-of date, not rejected, on a placed order. Units are capped per order and SKU
-- at the units of the order's kept lines of that SKU, in request order, so returned units
-- never exceed sold units. Only approved or refunded returns (not exchanges) refund money.
with

returns as (
    select * from {{ ref('stg_after_sales__returns') }}
),

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed
),

items as (
    select * from {{ ref('int_order_items_resolved') }}
    where is_placed
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

returns_as_of as (
    select
        returns.*,
        returns.source_system || ':' || returns.order_ref as order_id,
        cast({{ utc_to_local('returns.requested_at', var('business_timezone')) }} as date)
            as requested_date
    from returns
    cross join as_of
    where
        coalesce(returns.return_status, '') <> 'rejected'
        and cast({{ utc_to_local('returns.requested_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
),

placed_returns as (
    select
        returns_as_of.*,
        orders.order_date
    from returns_as_of
    inner join orders on returns_as_of.order_id = orders.order_id
),

returned_lines as (
    select distinct
        order_id,
        sku
    from placed_returns
),

-- Only the lines of orders with a return are summed (a semi-join, not all lines).
line_units as (
    select
        items.order_id,
        items.sku,
        sum(items.quantity) as line_units
    from items
    inner join returned_lines
        on
            items.order_id = returned_lines.order_id
            and items.sku = returned_lines.sku
    group by items.order_id, items.sku
),

running as (
    select
        placed_returns.*,
        coalesce(line_units.line_units, 0) as line_units,
        coalesce(
            sum(placed_returns.quantity) over (
                partition by placed_returns.order_id, placed_returns.sku
                order by placed_returns.requested_at, placed_returns.return_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as earlier_units
    from placed_returns
    left join line_units
        on
            placed_returns.order_id = line_units.order_id
            and placed_returns.sku = line_units.sku
),

final as (
    select
        return_id,
        order_id,
        order_date,
        sku,
        batch_no,
        {{ batch_no_of_sale('sku', 'order_date') }} as sale_batch_no,
        return_reason,
        return_type,
        is_exchange,
        return_status,
        requested_at,
        requested_date,
        quantity as requested_units,
        cast(greatest(least(quantity, line_units - earlier_units), 0) as bigint)
            as returned_units,
        case
            when not is_exchange and return_status in ('approved', 'refunded')
                then refund_reporting
            else 0
        end as refund_reporting
    from running
)

select * from final
