-- Performance of every campaign code seen on web / app sessions (landing utm_campaign) or
-- on web / app orders (web utm_campaign, app campaign code) up to the as-of date, per
-- channel and for both together (`channel = 'all'`): traffic, carts, conversion of
-- identified sessions, and the placed orders, customers, new customers and revenue
-- tagged with the campaign. Untagged traffic and orders form the `(none)` row, the
-- baseline to compare campaigns with.
with

sessions as (
    select * from {{ ref('int_sessions_summarised') }}
),

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed and channel in ('web_shop', 'app')
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- Each channel and `all` in one pass over the sessions and one over the orders.
session_stats as (
    select
        coalesce(utm_campaign, '(none)') as utm_campaign,
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        count(*) as sessions,
        count(distinct visitor_id) as visitors,
        count(customer_id) as identified_sessions,
        count(case when has_cart_add then session_id end) as cart_sessions,
        count(case when has_checkout then session_id end) as checkout_sessions,
        count(case when is_converted then session_id end) as converted_sessions,
        min(session_date) as first_session_date,
        max(session_date) as last_session_date
    from sessions
    group by coalesce(utm_campaign, '(none)'), rollup(channel)
),

order_stats as (
    select
        coalesce(utm_campaign, '(none)') as utm_campaign,
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        count(*) as orders,
        count(distinct customer_id) as customers,
        count(case when customer_order_number = 1 then order_id end) as new_customers,
        sum(order_total_reporting) as revenue_reporting,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from orders
    group by coalesce(utm_campaign, '(none)'), rollup(channel)
),

joined as (
    select
        coalesce(session_stats.utm_campaign, order_stats.utm_campaign) as utm_campaign,
        coalesce(session_stats.channel, order_stats.channel) as channel,
        coalesce(session_stats.sessions, 0) as sessions,
        coalesce(session_stats.visitors, 0) as visitors,
        coalesce(session_stats.identified_sessions, 0) as identified_sessions,
        coalesce(session_stats.cart_sessions, 0) as cart_sessions,
        coalesce(session_stats.checkout_sessions, 0) as checkout_sessions,
        coalesce(session_stats.converted_sessions, 0) as converted_sessions,
        coalesce(order_stats.orders, 0) as orders,
        coalesce(order_stats.customers, 0) as customers,
        coalesce(order_stats.new_customers, 0) as new_customers,
        coalesce(order_stats.revenue_reporting, 0) as revenue_reporting,
        case
            when order_stats.first_order_date is null then session_stats.first_session_date
            when session_stats.first_session_date is null then order_stats.first_order_date
            when session_stats.first_session_date < order_stats.first_order_date
                then session_stats.first_session_date
            else order_stats.first_order_date
        end as first_seen_date,
        case
            when order_stats.last_order_date is null then session_stats.last_session_date
            when session_stats.last_session_date is null then order_stats.last_order_date
            when session_stats.last_session_date > order_stats.last_order_date
                then session_stats.last_session_date
            else order_stats.last_order_date
        end as last_seen_date
    from session_stats
    full outer join order_stats
        on
            session_stats.utm_campaign = order_stats.utm_campaign
            and session_stats.channel = order_stats.channel
),

final as (
    select
        cast(joined.utm_campaign as varchar) as utm_campaign,
        cast(joined.channel as varchar) as channel,
        cast(joined.utm_campaign <> '(none)' as boolean) as is_campaign_tagged,
        cast(joined.sessions as integer) as sessions,
        cast(joined.visitors as integer) as visitors,
        cast(joined.identified_sessions as integer) as identified_sessions,
        cast(joined.cart_sessions as integer) as cart_sessions,
        cast(joined.checkout_sessions as integer) as checkout_sessions,
        cast(joined.converted_sessions as integer) as converted_sessions,
        cast(
            joined.converted_sessions * 1.0 / nullif(joined.identified_sessions, 0)
            as decimal(10, 6)
        ) as session_conversion_rate,
        cast(joined.orders as integer) as orders,
        cast(joined.customers as integer) as customers,
        cast(joined.new_customers as integer) as new_customers,
        cast(joined.revenue_reporting as decimal(18, 2)) as revenue_reporting,
        cast(joined.revenue_reporting / nullif(joined.orders, 0) as decimal(18, 2))
            as average_order_value_reporting,
        cast(joined.orders * 1.0 / nullif(joined.sessions, 0) as decimal(12, 6))
            as orders_per_session,
        cast(joined.first_seen_date as date) as first_seen_date,
        cast(joined.last_seen_date as date) as last_seen_date,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from joined
    cross join as_of
)

select * from final
