-- Web and app activity of every identified visitor in the 90 days up to each churn
-- feature date (nothing after it): sessions, product views and cart adds in the last 30
-- and 90 days. Events are read once per feature date (two dates): bounded at 2x rows.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where customer_id is not null
),

feature_dates as (
    select * from {{ ref('int_churn_feature_dates') }}
),

recent_events as (
    select
        feature_dates.feature_date,
        events.customer_id,
        events.session_id,
        events.event_type,
        {{ dbt.datediff('events.event_date', 'feature_dates.feature_date', 'day') }}
            as days_before
    from events
    inner join feature_dates
        on
            events.event_date <= feature_dates.feature_date
            and events.event_date > {{ dbt.dateadd('day', -90, 'feature_dates.feature_date') }}
),

final as (
    select
        feature_date,
        customer_id,
        count(distinct case when days_before < 30 then session_id end) as sessions_last_30d,
        count(distinct session_id) as sessions_last_90d,
        sum(case when event_type = 'product_view' and days_before < 30 then 1 else 0 end)
            as product_views_last_30d,
        sum(case when event_type = 'product_view' then 1 else 0 end) as product_views_last_90d,
        sum(case when event_type = 'add_to_cart' and days_before < 30 then 1 else 0 end)
            as cart_adds_last_30d,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as cart_adds_last_90d
    from recent_events
    group by feature_date, customer_id
)

select * from final
