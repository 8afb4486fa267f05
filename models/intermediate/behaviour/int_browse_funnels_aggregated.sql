-- Browse-to-buy funnel of every product (`funnel_level = 'product'`, key sku) and every
-- top-level category (`'category'`, key category_id) up to the as-of date: views and cart
-- adds, distinct visitors at each step, the resolved customers' purchases after browsing,
-- and all placed purchases of the product or category. Distinct visitors cannot be added
-- up from products to categories, so both levels are counted from the visitor rows.
{%- set levels = [('product', 'sku'), ('category', 'category_id')] %}

with

visitor_products as (
    select * from {{ ref('int_visitor_products_browsed') }}
),

order_items as (
    select * from {{ ref('int_order_items_resolved') }}
    where is_placed
),

-- One row per visitor x funnel key: a visitor's rows are already one per product; per
-- category they are rolled up first, so no step below needs a distinct count.
visitor_keys as (
    select
        'product' as funnel_level,
        sku as funnel_key,
        visitor_id,
        customer_id,
        product_views,
        cart_adds,
        has_bought_after_browse,
        has_bought_within_24h,
        has_unbought_browse_day
    from visitor_products
    union all
    select
        'category' as funnel_level,
        category_id as funnel_key,
        visitor_id,
        min(customer_id) as customer_id,
        sum(product_views) as product_views,
        sum(cart_adds) as cart_adds,
        max(case when has_bought_after_browse then 1 else 0 end) = 1
            as has_bought_after_browse,
        max(case when has_bought_within_24h then 1 else 0 end) = 1 as has_bought_within_24h,
        max(case when has_unbought_browse_day then 1 else 0 end) = 1
            as has_unbought_browse_day
    from visitor_products
    where category_id is not null
    group by category_id, visitor_id
),

browsing as (
    select
        funnel_level,
        funnel_key,
        sum(product_views) as product_views,
        sum(cart_adds) as cart_adds,
        count(*) as visitors,
        count(case when product_views > 0 then visitor_id end) as viewers,
        count(case when cart_adds > 0 then visitor_id end) as carters,
        count(case when product_views > 0 and cart_adds > 0 then visitor_id end)
            as viewers_who_carted,
        count(customer_id) as browsing_customers,
        count(case when has_bought_after_browse then customer_id end) as browse_buyers,
        count(case when has_bought_within_24h then customer_id end) as buyers_within_24h,
        count(case when has_unbought_browse_day then customer_id end)
            as browsed_not_bought_customers
    from visitor_keys
    group by funnel_level, funnel_key
),

buying as (
    {%- for level, key in levels %}
        select
            '{{ level }}' as funnel_level,
            {{ key }} as funnel_key,
            count(distinct customer_id) as purchasers,
            count(distinct order_id) as orders,
            sum(quantity) as units_sold,
            sum(line_amount_reporting) as revenue_reporting
        from order_items
        where {{ key }} is not null
        group by {{ key }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        coalesce(browsing.funnel_level, buying.funnel_level) as funnel_level,
        coalesce(browsing.funnel_key, buying.funnel_key) as funnel_key,
        coalesce(browsing.product_views, 0) as product_views,
        coalesce(browsing.cart_adds, 0) as cart_adds,
        coalesce(browsing.visitors, 0) as visitors,
        coalesce(browsing.viewers, 0) as viewers,
        coalesce(browsing.carters, 0) as carters,
        coalesce(browsing.viewers_who_carted, 0) as viewers_who_carted,
        coalesce(browsing.browsing_customers, 0) as browsing_customers,
        coalesce(browsing.browse_buyers, 0) as browse_buyers,
        coalesce(browsing.buyers_within_24h, 0) as buyers_within_24h,
        coalesce(browsing.browsed_not_bought_customers, 0) as browsed_not_bought_customers,
        coalesce(buying.purchasers, 0) as purchasers,
        coalesce(buying.orders, 0) as orders,
        coalesce(buying.units_sold, 0) as units_sold,
        coalesce(buying.revenue_reporting, 0) as revenue_reporting
    from browsing
    full outer join buying
        on
            browsing.funnel_level = buying.funnel_level
            and browsing.funnel_key = buying.funnel_key
)

select * from final
