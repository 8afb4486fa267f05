-- One row per product (SKU) and production batch with units sold on placed orders up to
-- the as-of date and the returns counted against them (int_returns_counted). Sales lines
-- carry no batch: a sold unit's batch follows the catalogue's convention (`sku` + the
-- quarter of the order's business date, macro batch_no_of_sale); returns carry their own
-- (a return without one is a row with a null batch, so product totals keep it).
with

items as (
    select * from {{ ref('int_order_items_resolved') }}
    where is_placed
),

returns as (
    select * from {{ ref('int_returns_counted') }}
),

sold as (
    select
        sku,
        {{ batch_no_of_sale('sku', 'order_date') }} as batch_no,
        cast(sum(quantity) as bigint) as sold_units,
        count(distinct order_id) as sold_orders
    from items
    where sku is not null
    group by sku, {{ batch_no_of_sale('sku', 'order_date') }}
),

returned as (
    select
        sku,
        batch_no,
        count(*) as return_requests,
        cast(sum(returned_units) as bigint) as returned_units,
        cast(sum(case when is_exchange then returned_units else 0 end) as bigint)
            as exchanged_units,
        cast(
            sum(case when return_reason = 'quality_issue' then returned_units else 0 end)
            as bigint
        ) as quality_issue_units,
        sum(refund_reporting) as refund_reporting
    from returns
    where sku is not null
    group by sku, batch_no
),

final as (
    select
        coalesce(sold.sku, returned.sku) as sku,
        coalesce(sold.batch_no, returned.batch_no) as batch_no,
        coalesce(sold.sold_units, 0) as sold_units,
        coalesce(sold.sold_orders, 0) as sold_orders,
        coalesce(returned.return_requests, 0) as return_requests,
        coalesce(returned.returned_units, 0) as returned_units,
        coalesce(returned.exchanged_units, 0) as exchanged_units,
        coalesce(returned.quality_issue_units, 0) as quality_issue_units,
        coalesce(returned.refund_reporting, 0) as refund_reporting
    from sold
    full outer join returned
        on
            sold.sku = returned.sku
            and sold.batch_no = returned.batch_no
)

select * from final
