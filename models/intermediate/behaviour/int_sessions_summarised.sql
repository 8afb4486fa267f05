-- One row per web / app tracking session up to the as-of date: visitor, resolved customer,
-- landing campaign, event counts, and the first placed order of its customer in its
-- channel at or after its start; the session converts when that order comes within var
-- `behaviour_session_conversion_hours` hours after its last event. Scale: the order lookup
-- never pairs sessions with orders; sessions and orders of each customer x channel are
-- stacked into one time-ordered stream and a window minimum over the rows that follow
-- gives every session its next order.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where session_id is not null
),

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed and customer_id is not null and channel in ('web_shop', 'app')
),

sessions as (
    select
        session_id,
        -- One customer when the smallest and largest non-null customer agree (cheaper than
        -- a distinct count over millions of sessions).
        case when min(customer_id) = max(customer_id) then min(customer_id) end as customer_id,
        min(anonymous_id) as anonymous_id,
        min(channel) as channel,
        min(platform) as platform,
        min(event_date) as session_date,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        min(utm_source) as utm_source,
        min(utm_campaign) as utm_campaign,
        count(*) as events,
        sum(case when event_type = 'page_view' then 1 else 0 end) as page_views,
        sum(case when event_type = 'product_view' then 1 else 0 end) as product_views,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as cart_adds,
        sum(case when event_type = 'remove_from_cart' then 1 else 0 end) as cart_removes,
        sum(case when event_type = 'begin_checkout' then 1 else 0 end) as checkouts
    from events
    group by session_id
),

-- On equal times a session sorts before an order, so an order at the very instant a
-- session starts counts as after it.
timeline as (
    select
        customer_id,
        channel,
        session_id,
        started_at as happened_at,
        0 as row_kind
    from sessions
    where customer_id is not null
    union all
    select
        customer_id,
        channel,
        cast(null as varchar) as session_id,
        ordered_at as happened_at,
        1 as row_kind
    from orders
),

next_orders as (
    select
        session_id,
        row_kind,
        min(case when row_kind = 1 then happened_at end) over (
            partition by customer_id, channel
            order by happened_at asc, row_kind asc
            rows between current row and unbounded following
        ) as next_ordered_at
    from timeline
),

final as (
    select
        sessions.session_id,
        sessions.customer_id,
        sessions.anonymous_id,
        coalesce(
            sessions.customer_id,
            'anonymous:' || sessions.anonymous_id,
            'session:' || sessions.session_id
        ) as visitor_id,
        sessions.channel,
        sessions.platform,
        sessions.session_date,
        sessions.started_at,
        sessions.ended_at,
        sessions.utm_source,
        sessions.utm_campaign,
        sessions.events,
        sessions.page_views,
        sessions.product_views,
        sessions.cart_adds,
        sessions.cart_removes,
        sessions.checkouts,
        sessions.cart_adds > 0 as has_cart_add,
        sessions.checkouts > 0 as has_checkout,
        next_orders.next_ordered_at,
        coalesce(
            next_orders.next_ordered_at <= {{ dbt.dateadd(
                'hour', var('behaviour_session_conversion_hours'), 'sessions.ended_at'
            ) }},
            false
        ) as is_converted
    from sessions
    left join next_orders
        on
            sessions.session_id = next_orders.session_id
            and next_orders.row_kind = 0
)

select * from final
