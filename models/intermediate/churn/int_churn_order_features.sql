-- Order features of every buyer at each churn feature date (the as-of date and the
-- training date), from the placed orders dated on or before that date only: recency,
-- frequency, gross spend, tenure, median gap, spend trend, channels and categories.
-- Gross amounts: refunds are known only later and would leak the future into training.
-- Orders are read once per feature date (two dates), so the join is bounded at 2x rows.
with

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

purchase_days as (
    select * from {{ ref('int_customer_purchase_days_sequenced') }}
),

order_items as (
    select * from {{ ref('fct_order_items') }}
    where customer_id is not null and is_placed
),

feature_dates as (
    select * from {{ ref('int_churn_feature_dates') }}
),

order_history as (
    select
        feature_dates.feature_date,
        orders.customer_id,
        orders.order_date,
        orders.channel,
        orders.order_total_reporting,
        {{ dbt.datediff('orders.order_date', 'feature_dates.feature_date', 'day') }}
            as days_before
    from orders
    inner join feature_dates
        on orders.order_date <= feature_dates.feature_date
),

order_summary as (
    select
        feature_date,
        customer_id,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as order_count,
        count(distinct order_date) as purchase_day_count,
        sum(order_total_reporting) as gross_spend_reporting,
        sum(case when days_before < 90 then order_total_reporting else 0 end)
            as spend_last_90d_reporting,
        sum(case when days_before >= 90 and days_before < 180 then order_total_reporting else 0 end)
            as spend_previous_90d_reporting,
        count(distinct channel) as channel_count,
        avg(case when channel in ('tmall', 'jd') then 1.0 else 0.0 end) as marketplace_share,
        avg(case when channel = 'store' then 1.0 else 0.0 end) as store_share
    from order_history
    group by feature_date, customer_id
),

gaps as (
    select
        feature_dates.feature_date,
        purchase_days.customer_id,
        percentile_cont(0.5) within group (order by purchase_days.gap_days)
            as median_gap_days
    from purchase_days
    inner join feature_dates
        on purchase_days.purchase_date <= feature_dates.feature_date
    where purchase_days.gap_days is not null
    group by feature_dates.feature_date, purchase_days.customer_id
),

categories as (
    select
        feature_dates.feature_date,
        order_items.customer_id,
        count(distinct order_items.category_id) as category_count
    from order_items
    inner join feature_dates
        on order_items.order_date <= feature_dates.feature_date
    group by feature_dates.feature_date, order_items.customer_id
),

final as (
    select
        order_summary.*,
        gaps.median_gap_days,
        coalesce(categories.category_count, 0) as category_count
    from order_summary
    left join gaps
        on
            order_summary.feature_date = gaps.feature_date
            and order_summary.customer_id = gaps.customer_id
    left join categories
        on
            order_summary.feature_date = categories.feature_date
            and order_summary.customer_id = categories.customer_id
)

select * from final
