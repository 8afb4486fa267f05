-- One row per buyer and churn feature date (the as-of date for scoring, one horizon
-- earlier for training): the model's features, each from data dated on or before the
-- feature date, and for training rows the label: churned = no placed order in the
-- horizon after the feature date (which ends on the as-of date). The BG/NBD inputs
-- (frequency, recency, t at the feature date) feed one BG/NBD fit per feature date in
-- the churn model (`customer_analytics.churn.bgnbd_features`).
with

order_features as (
    select * from {{ ref('int_churn_order_features') }}
),

service_features as (
    select * from {{ ref('int_churn_service_features') }}
),

event_features as (
    select * from {{ ref('int_churn_event_features') }}
),

feature_dates as (
    select * from {{ ref('int_churn_feature_dates') }}
),

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

horizon_orders as (
    select
        feature_dates.feature_date,
        orders.customer_id,
        count(*) as horizon_order_count
    from orders
    inner join feature_dates
        on
            orders.order_date > feature_dates.feature_date
            and orders.order_date <= feature_dates.as_of_date
    where feature_dates.is_training_row
    group by feature_dates.feature_date, orders.customer_id
),

final as (
    select
        order_features.customer_id,
        order_features.feature_date,
        feature_dates.is_training_row,
        feature_dates.as_of_date,
        {{ dbt.datediff('order_features.last_order_date', 'order_features.feature_date', 'day') }}
            as recency_days,
        cast(order_features.purchase_day_count as integer) as purchase_day_count,
        cast(order_features.purchase_day_count - 1 as integer) as bgnbd_frequency,
        {{
            dbt.datediff('order_features.first_order_date', 'order_features.last_order_date', 'day')
        }} as bgnbd_recency,
        {{ dbt.datediff('order_features.first_order_date', 'order_features.feature_date', 'day') }}
            as bgnbd_t,
        cast(order_features.order_count as integer) as order_count,
        cast(order_features.gross_spend_reporting / order_features.order_count as double precision)
            as avg_order_value_reporting,
        {{ dbt.datediff('order_features.first_order_date', 'order_features.feature_date', 'day') }}
            as tenure_days,
        cast(order_features.median_gap_days as double precision) as median_gap_days,
        cast(order_features.spend_last_90d_reporting as double precision)
            as spend_last_90d_reporting,
        cast(order_features.spend_previous_90d_reporting as double precision)
            as spend_previous_90d_reporting,
        cast(order_features.category_count as integer) as category_count,
        cast(order_features.channel_count as integer) as channel_count,
        order_features.marketplace_share,
        order_features.store_share,
        cast(
            coalesce(service_features.returned_order_count, 0) * 1.0 / order_features.order_count
            as double precision
        ) as return_rate,
        cast(coalesce(service_features.ticket_count, 0) as integer) as ticket_count,
        cast(coalesce(service_features.tickets_last_90d, 0) as integer) as tickets_last_90d,
        service_features.last_nps_score,
        service_features.days_since_last_nps,
        cast(coalesce(event_features.sessions_last_30d, 0) as integer) as sessions_last_30d,
        cast(coalesce(event_features.sessions_last_90d, 0) as integer) as sessions_last_90d,
        cast(coalesce(event_features.product_views_last_30d, 0) as integer)
            as product_views_last_30d,
        cast(coalesce(event_features.product_views_last_90d, 0) as integer)
            as product_views_last_90d,
        cast(coalesce(event_features.cart_adds_last_30d, 0) as integer) as cart_adds_last_30d,
        cast(coalesce(event_features.cart_adds_last_90d, 0) as integer) as cart_adds_last_90d,
        case
            when feature_dates.is_training_row
                then coalesce(horizon_orders.horizon_order_count, 0) = 0
        end as is_churned
    from order_features
    inner join feature_dates
        on order_features.feature_date = feature_dates.feature_date
    left join service_features
        on
            order_features.feature_date = service_features.feature_date
            and order_features.customer_id = service_features.customer_id
    left join event_features
        on
            order_features.feature_date = event_features.feature_date
            and order_features.customer_id = event_features.customer_id
    left join horizon_orders
        on
            order_features.feature_date = horizon_orders.feature_date
            and order_features.customer_id = horizon_orders.customer_id
)

select * from final
