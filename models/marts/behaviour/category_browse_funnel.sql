-- Browse-to-buy funnel of every top-level category up to the as-of date: views, cart adds,
-- distinct visitors at each step, view-to-cart and view-to-buy conversion,
-- browsed-not-bought customers and purchases.
with

funnels as (
    select * from {{ ref('int_browse_funnels_aggregated') }}
    where funnel_level = 'category'
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
    where parent_category_id is null
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

category_ids as (
    select category_id from categories
    union
    select funnel_key as category_id from funnels
),

final as (
    select
        cast(category_ids.category_id as varchar) as category_id,
        cast(categories.category_name_zh as varchar) as category_name_zh,
        cast(categories.category_name_en as varchar) as category_name_en,
        cast(coalesce(funnels.product_views, 0) as bigint) as product_views,
        cast(coalesce(funnels.cart_adds, 0) as bigint) as cart_adds,
        cast(coalesce(funnels.visitors, 0) as integer) as visitors,
        cast(coalesce(funnels.viewers, 0) as integer) as viewers,
        cast(coalesce(funnels.carters, 0) as integer) as carters,
        cast(funnels.viewers_who_carted * 1.0 / nullif(funnels.viewers, 0) as decimal(10, 6))
            as view_to_cart_rate,
        cast(coalesce(funnels.browsing_customers, 0) as integer) as browsing_customers,
        cast(coalesce(funnels.browse_buyers, 0) as integer) as browse_buyers,
        cast(
            funnels.browse_buyers * 1.0 / nullif(funnels.browsing_customers, 0)
            as decimal(10, 6)
        ) as view_to_buy_rate,
        cast(coalesce(funnels.buyers_within_24h, 0) as integer) as buyers_within_24h,
        cast(coalesce(funnels.browsed_not_bought_customers, 0) as integer)
            as browsed_not_bought_customers,
        cast(coalesce(funnels.purchasers, 0) as integer) as purchasers,
        cast(coalesce(funnels.orders, 0) as integer) as orders,
        cast(coalesce(funnels.units_sold, 0) as bigint) as units_sold,
        cast(coalesce(funnels.revenue_reporting, 0) as decimal(18, 2)) as revenue_reporting,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from category_ids
    cross join as_of
    left join categories on category_ids.category_id = categories.category_id
    left join funnels on category_ids.category_id = funnels.funnel_key
)

select * from final
