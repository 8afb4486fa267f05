-- Returns by top-level product category and reason up to the as-of date: requests, units,
-- exchanges and refunds, the reason's share of the category's returns and its rate
-- against the category's sold units.
with

returns as (
    select * from {{ ref('int_returns_counted') }}
),

batches as (
    select * from {{ ref('int_product_batches_aggregated') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

category_sales as (
    select
        products.top_category_id,
        sum(batches.sold_units) as sold_units
    from batches
    inner join products on batches.sku = products.sku
    group by products.top_category_id
),

per_reason as (
    select
        products.top_category_id,
        products.top_category_name_zh,
        products.top_category_name_en,
        coalesce(returns.return_reason, 'unknown') as return_reason,
        count(*) as return_requests,
        sum(returns.returned_units) as returned_units,
        sum(case when returns.is_exchange then returns.returned_units else 0 end)
            as exchanged_units,
        sum(returns.refund_reporting) as refund_reporting
    from returns
    left join products on returns.sku = products.sku
    group by
        products.top_category_id,
        products.top_category_name_zh,
        products.top_category_name_en,
        coalesce(returns.return_reason, 'unknown')
),

final as (
    select
        cast(per_reason.top_category_id as varchar) as category_id,
        cast(per_reason.top_category_name_zh as varchar) as category_name_zh,
        cast(per_reason.top_category_name_en as varchar) as category_name_en,
        cast(per_reason.return_reason as varchar) as return_reason,
        cast(per_reason.return_requests as bigint) as return_requests,
        cast(per_reason.returned_units as bigint) as returned_units,
        cast(per_reason.exchanged_units as bigint) as exchanged_units,
        cast(
            per_reason.returned_units * 1.0
            / nullif(
                sum(per_reason.returned_units) over (
                    partition by per_reason.top_category_id
                ),
                0
            )
            as decimal(10, 4)
        ) as category_returns_share,
        cast(coalesce(category_sales.sold_units, 0) as bigint) as category_sold_units,
        cast(
            per_reason.returned_units * 1.0 / nullif(category_sales.sold_units, 0)
            as decimal(10, 4)
        ) as return_rate,
        cast(per_reason.refund_reporting as decimal(18, 2)) as refunds_reporting,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from per_reason
    cross join as_of
    left join category_sales
        on per_reason.top_category_id = category_sales.top_category_id
)

select * from final
