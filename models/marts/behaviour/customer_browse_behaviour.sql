-- Web and app browse behaviour of every resolved customer with a tracked session up to the
-- as-of date: sessions, events, products viewed, cart adds and abandonment, checkouts,
-- conversion, last browse, products browsed and not bought, most viewed category. No
-- personal data.
with

sessions as (
    select * from {{ ref('int_sessions_summarised') }}
    where customer_id is not null
),

visitor_products as (
    select * from {{ ref('int_visitor_products_browsed') }}
    where customer_id is not null
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

session_stats as (
    select
        customer_id,
        count(*) as sessions,
        count(distinct session_date) as active_days,
        count(case when channel = 'app' then session_id end) as app_sessions,
        sum(page_views) as page_views,
        sum(product_views) as product_views,
        sum(cart_adds) as cart_adds,
        sum(cart_removes) as cart_removes,
        sum(checkouts) as checkouts,
        count(case when has_cart_add then session_id end) as cart_sessions,
        count(case when has_cart_add and not is_converted then session_id end)
            as abandoned_cart_sessions,
        count(case when is_converted then session_id end) as converted_sessions,
        min(started_at) as first_browsed_at,
        max(ended_at) as last_browsed_at,
        max(session_date) as last_browse_date
    from sessions
    group by customer_id
),

product_stats as (
    select
        customer_id,
        count(case when product_views > 0 then sku end) as products_viewed,
        count(case when has_unbought_browse_day and not has_bought_after_browse then sku end)
            as browsed_not_bought_products
    from visitor_products
    group by customer_id
),

category_views as (
    select
        customer_id,
        category_id,
        row_number() over (
            partition by customer_id
            order by sum(product_views) desc, category_id asc
        ) as category_rank
    from visitor_products
    where category_id is not null and product_views > 0
    group by customer_id, category_id
),

final as (
    select
        cast(session_stats.customer_id as varchar) as customer_id,
        cast(session_stats.sessions as integer) as sessions,
        cast(session_stats.active_days as integer) as active_days,
        cast(session_stats.app_sessions * 1.0 / session_stats.sessions as decimal(10, 6))
            as app_session_share,
        cast(session_stats.page_views as integer) as page_views,
        cast(session_stats.product_views as integer) as product_views,
        cast(coalesce(product_stats.products_viewed, 0) as integer) as products_viewed,
        cast(session_stats.cart_adds as integer) as cart_adds,
        cast(session_stats.cart_removes as integer) as cart_removes,
        cast(session_stats.checkouts as integer) as checkouts,
        cast(session_stats.cart_sessions as integer) as cart_sessions,
        cast(session_stats.abandoned_cart_sessions as integer) as abandoned_cart_sessions,
        cast(
            session_stats.abandoned_cart_sessions * 1.0
            / nullif(session_stats.cart_sessions, 0) as decimal(10, 6)
        ) as cart_abandonment_rate,
        cast(session_stats.converted_sessions as integer) as converted_sessions,
        cast(session_stats.converted_sessions * 1.0 / session_stats.sessions as decimal(10, 6))
            as session_conversion_rate,
        cast(coalesce(product_stats.browsed_not_bought_products, 0) as integer)
            as browsed_not_bought_products,
        cast(category_views.category_id as varchar) as most_viewed_category_id,
        cast(session_stats.first_browsed_at as timestamp) as first_browsed_at,
        cast(session_stats.last_browsed_at as timestamp) as last_browsed_at,
        cast(
            {{ dbt.datediff('session_stats.last_browse_date', 'as_of.as_of_date', 'day') }}
            as integer
        ) as days_since_last_browse,
        cast(as_of.as_of_date as date) as as_of_date
    from session_stats
    cross join as_of
    left join product_stats on session_stats.customer_id = product_stats.customer_id
    left join category_views
        on
            session_stats.customer_id = category_views.customer_id
            and category_views.category_rank = 1
)

select * from final
