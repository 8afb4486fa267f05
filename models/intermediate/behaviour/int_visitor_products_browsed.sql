-- One row per visitor x product viewed or carted up to the as-of date: views, cart adds,
-- first and last browse, and for resolved customers what followed (from
-- int_browsed_not_bought): bought at or after a browse, bought within 24 hours of one, or
-- left a browse day unbought for 24 hours. The product and category funnels read it.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where sku is not null and event_type in ('product_view', 'add_to_cart')
),

browse_days as (
    select * from {{ ref('int_browsed_not_bought') }}
),

visitor_products as (
    select
        coalesce(
            customer_id, 'anonymous:' || anonymous_id, 'session:' || session_id
        ) as visitor_id,
        min(customer_id) as customer_id,
        sku,
        min(top_category_id) as category_id,
        sum(case when event_type = 'product_view' then 1 else 0 end) as product_views,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as cart_adds,
        min(event_at) as first_browsed_at,
        max(event_at) as last_browsed_at
    from events
    group by
        coalesce(customer_id, 'anonymous:' || anonymous_id, 'session:' || session_id),
        sku
),

customer_outcomes as (
    select
        customer_id,
        sku,
        max(case when first_purchased_at is not null then 1 else 0 end)
            as has_bought_after_browse,
        max(case when is_bought_within_24h then 1 else 0 end) as has_bought_within_24h,
        max(case when is_window_complete and not is_bought_within_24h then 1 else 0 end)
            as has_unbought_browse_day
    from browse_days
    group by customer_id, sku
),

final as (
    select
        visitor_products.visitor_id,
        visitor_products.customer_id,
        visitor_products.sku,
        visitor_products.category_id,
        visitor_products.product_views,
        visitor_products.cart_adds,
        visitor_products.first_browsed_at,
        visitor_products.last_browsed_at,
        coalesce(customer_outcomes.has_bought_after_browse = 1, false)
            as has_bought_after_browse,
        coalesce(customer_outcomes.has_bought_within_24h = 1, false) as has_bought_within_24h,
        coalesce(customer_outcomes.has_unbought_browse_day = 1, false)
            as has_unbought_browse_day
    from visitor_products
    left join customer_outcomes
        on
            visitor_products.customer_id = customer_outcomes.customer_id
            and visitor_products.sku = customer_outcomes.sku
)

select * from final
