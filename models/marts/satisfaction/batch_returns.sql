-- Returns by production batch (SKU x batch) up to the as-of date: units sold and
-- returned, return rate against the product's and the top-level category's, quality-issue
-- share and an abnormal-rate flag (a batch with a quality problem).
with

batches as (
    select * from {{ ref('int_product_batches_aggregated') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- Product and category totals are over every batch, including returns without a batch.
categorised as (
    select
        batches.*,
        products.product_name,
        products.top_category_id,
        products.top_category_name_zh,
        products.top_category_name_en,
        sum(batches.returned_units) over (partition by batches.sku) * 1.0
        / nullif(sum(batches.sold_units) over (partition by batches.sku), 0)
            as product_return_rate,
        sum(batches.returned_units) over (partition by products.top_category_id)
            as category_returned_units,
        sum(batches.sold_units) over (partition by products.top_category_id)
            as category_sold_units
    from batches
    left join products on batches.sku = products.sku
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
        cast(rated.batch_no as varchar) as batch_no,
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
            rated.quality_issue_units * 1.0 / nullif(rated.returned_units, 0)
            as decimal(10, 4)
        ) as quality_issue_share,
        cast(rated.returned_units * 1.0 / nullif(rated.sold_units, 0) as decimal(10, 4))
            as return_rate,
        cast(rated.product_return_rate as decimal(10, 4)) as product_return_rate,
        cast(rated.category_return_rate as decimal(10, 4)) as category_return_rate,
        cast(
            rated.returned_units * 1.0 / nullif(rated.sold_units, 0)
            / nullif(rated.category_return_rate, 0)
            as decimal(10, 2)
        ) as return_rate_ratio,
        cast(
            {{ binomial_z_score(
                'rated.returned_units', 'rated.sold_units', 'rated.category_return_rate'
            ) }} as decimal(10, 2)
        ) as return_rate_z_score,
        {{ is_abnormal_return_rate(
            'rated.returned_units', 'rated.sold_units', 'rated.category_return_rate'
        ) }} as is_abnormal_return_rate,
        cast(as_of.as_of_date as date) as as_of_date
    from rated
    cross join as_of
    where rated.batch_no is not null
)

select * from final
