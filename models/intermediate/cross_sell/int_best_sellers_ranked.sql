-- Active products ranked by the placed orders holding them in the last var
-- cross_sell_best_seller_days days up to the as-of date, per top-level category and
-- overall; the top var cross_sell_best_seller_pool of each are recommendation fallbacks.
{%- set days = var('cross_sell_best_seller_days') %}

with

order_skus as (
    select * from {{ ref('int_order_skus_aggregated') }}
),

products as (
    select * from {{ ref('stg_catalog__products') }}
    where is_active
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

recent_sales as (
    select
        order_skus.sku,
        order_skus.top_category_id,
        count(*) as order_count,
        sum(order_skus.units) as units
    from order_skus
    cross join as_of
    inner join products on order_skus.sku = products.sku
    where
        order_skus.order_date
        > cast({{ dbt.dateadd('day', -days, 'as_of.as_of_date') }} as date)
    group by order_skus.sku, order_skus.top_category_id
),

ranked as (
    select
        'category' as best_seller_scope,
        top_category_id,
        sku,
        order_count,
        units,
        row_number() over (
            partition by top_category_id
            order by order_count desc, units desc, sku asc
        ) as best_seller_rank
    from recent_sales
    where top_category_id is not null
    union all
    select
        'overall' as best_seller_scope,
        cast(null as varchar) as top_category_id,
        sku,
        order_count,
        units,
        row_number() over (order by order_count desc, units desc, sku asc) as best_seller_rank
    from recent_sales
),

final as (
    select
        best_seller_scope,
        top_category_id,
        sku,
        cast(order_count as bigint) as order_count,
        cast(units as bigint) as units,
        cast(best_seller_rank as integer) as best_seller_rank
    from ranked
    where best_seller_rank <= {{ var('cross_sell_best_seller_pool') }}
)

select * from final
