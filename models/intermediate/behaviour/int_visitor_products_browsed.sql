-- One row per visitor x product viewed or carted up to the as-of date: views, cart adds,
-- first and last browse, and for resolved customers what followed (from
-- int_browsed_not_bought): bought at or after a browse, bought within 24 hours of one, or
-- left a browse day unbought for 24 hours. The product and category funnels read it.
-- Customers' rows come from their browse days in int_browsed_not_bought.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where
        customer_id is null
        and sku is not null
        and event_type in ('product_view', 'add_to_cart')
),

browse_days as (
    select * from {{ ref('int_browsed_not_bought') }}
),

-- Anonymous visitors from the events; resolved customers from their browse days, which
-- int_browsed_not_bought already aggregated from the same events (one scan of the events
-- for the customers, not two).
anonymous_products as (
    select
        coalesce('anonymous:' || anonymous_id, 'session:' || session_id) as visitor_id,
        cast(null as varchar) as customer_id,
        sku,
        min(top_category_id) as category_id,
        sum(case when event_type = 'product_view' then 1 else 0 end) as product_views,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as cart_adds,
        min(event_at) as first_browsed_at,
        max(event_at) as last_browsed_at,
        0 as has_bought_after_browse,
        0 as has_bought_within_24h,
        0 as has_unbought_browse_day
    from events
    group by coalesce('anonymous:' || anonymous_id, 'session:' || session_id), sku
),

customer_products as (
    select
        customer_id as visitor_id,
        customer_id,
        sku,
        min(category_id) as category_id,
        sum(product_views) as product_views,
        sum(cart_adds) as cart_adds,
        min(first_browsed_at) as first_browsed_at,
        max(last_browsed_at) as last_browsed_at,
        max(case when first_purchased_at is not null then 1 else 0 end)
            as has_bought_after_browse,
        max(case when is_bought_within_24h then 1 else 0 end) as has_bought_within_24h,
        max(case when is_window_complete and not is_bought_within_24h then 1 else 0 end)
            as has_unbought_browse_day
    from browse_days
    group by customer_id, sku
),

visitor_products as (
    select * from customer_products
    union all
    select * from anonymous_products
),

final as (
    select
        visitor_id,
        customer_id,
        sku,
        category_id,
        product_views,
        cart_adds,
        first_browsed_at,
        last_browsed_at,
        has_bought_after_browse = 1 as has_bought_after_browse,
        has_bought_within_24h = 1 as has_bought_within_24h,
        has_unbought_browse_day = 1 as has_unbought_browse_day
    from visitor_products
)

select * from final
