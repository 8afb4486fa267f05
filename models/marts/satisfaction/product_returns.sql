-- Returns by product (SKU) up to the as-of date: units sold and returned, return rate
-- against the top-level category's, an abnormal-rate flag, the main reason and refunds.
with

batches as (
    select * from {{ ref('int_product_batches_aggregated') }}
),

returns as (
    select * from {{ ref('int_returns_counted') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

per_product as (
    select
        sku,
        sum(sold_units) as sold_units,
        sum(return_requests) as return_requests,
        sum(returned_units) as returned_units,
        sum(exchanged_units) as exchanged_units,
        sum(quality_issue_units) as quality_issue_units,
        sum(refund_reporting) as refund_reporting
    from batches
    group by sku
),

reason_units as (
    select
        sku,
        return_reason,
        row_number() over (
            partition by sku
            order by sum(returned_units) desc, count(*) desc, return_reason asc
        ) as reason_rank
    from returns
    where sku is not null and return_reason is not null
    group by sku, return_reason
),

categorised as (
    select
        per_product.*,
        products.product_name,
        products.top_category_id,
        products.top_category_name_zh,
        products.top_category_name_en,
        sum(per_product.returned_units) over (partition by products.top_category_id)
            as category_returned_units,
        sum(per_product.sold_units) over (partition by products.top_category_id)
            as category_sold_units,
        reason_units.return_reason as top_return_reason
    from per_product
    left join products on per_product.sku = products.sku
    left join reason_units
        on
            per_product.sku = reason_units.sku
            and reason_units.reason_rank = 1
),

rated as (
    select
        *,
        case
            when top_category_id is not null
                then category_returned_units * 1.0 / nullif(category_sold_units, 0)
        end as category_return_rate
    from categorised
),

final as (
    select
        cast(rated.sku as varchar) as sku,
        cast(rated.product_name as varchar) as product_name,
        cast(rated.top_category_id as varchar) as category_id,
        cast(rated.top_category_name_zh as varchar) as category_name_zh,
        cast(rated.top_category_name_en as varchar) as category_name_en,
        cast(rated.sold_units as bigint) as sold_units,
        cast(rated.return_requests as bigint) as return_requests,
        cast(rated.returned_units as bigint) as returned_units,
        cast(rated.exchanged_units as bigint) as exchanged_units,
        cast(rated.quality_issue_units as bigint) as quality_issue_units,
        cast(
            rated.returned_units * 1.0 / nullif(rated.sold_units, 0)
            as decimal(10, 4)
        ) as return_rate,
        cast(rated.category_return_rate as decimal(10, 4)) as category_return_rate,
        cast(
            rated.returned_units * 1.0 / nullif(rated.sold_units, 0)
            / nullif(rated.category_return_rate, 0)
            as decimal(10, 2)
        ) as return_rate_ratio,
        cast(
            {{ binomial_z_score(
                'rated.returned_units',
                'rated.sold_units',
                'rated.category_return_rate'
            ) }} as decimal(10, 2)
        ) as return_rate_z_score,
        {{ is_abnormal_return_rate(
            'rated.returned_units',
            'rated.sold_units',
            'rated.category_return_rate'
        ) }} as is_abnormal_return_rate,
        cast(rated.top_return_reason as varchar) as top_return_reason,
        cast(rated.refund_reporting as decimal(18, 2)) as refunds_reporting,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from rated
    cross join as_of
)

select * from final
