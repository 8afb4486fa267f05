-- Order history of every customer with a placed order up to the as-of date: dates,
-- counts, spend, the days between purchase days, orders per channel and the channel and
-- campaign of the first placed order. Unplaced (pending, cancelled) orders do not count.
{%- set channels = ['web_shop', 'app', 'store', 'tmall', 'jd'] %}

with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where customer_id is not null and is_placed
),

purchase_days as (
    select distinct
        customer_id,
        order_date
    from orders
),

previous_purchase_days as (
    select
        customer_id,
        order_date,
        lag(order_date) over (partition by customer_id order by order_date)
            as previous_order_date
    from purchase_days
),

purchase_gaps as (
    select
        customer_id,
        {{ dbt.datediff('previous_order_date', 'order_date', 'day') }}
            as days_between
    from previous_purchase_days
    where previous_order_date is not null
),

gap_stats as (
    select
        customer_id,
        avg(days_between) as mean_days_between_orders,
        percentile_cont(0.5) within group (order by days_between)
            as median_days_between_orders
    from purchase_gaps
    group by customer_id
),

order_stats as (
    select
        customer_id,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as order_count,
        count(distinct order_date) as purchase_day_count,
        {%- for channel in channels %}
            count(case when channel = '{{ channel }}' then order_id end)
                as order_count_{{ channel }},
        {%- endfor %}
        sum(order_total_reporting) as gross_spend_reporting
    from orders
    group by customer_id
),

first_orders as (
    select
        customer_id,
        channel as acquisition_channel,
        utm_campaign as acquisition_campaign
    from orders
    where customer_order_number = 1
),

final as (
    select
        order_stats.customer_id,
        order_stats.first_order_date,
        order_stats.last_order_date,
        order_stats.order_count,
        order_stats.purchase_day_count,
        order_stats.gross_spend_reporting,
        cast(gap_stats.mean_days_between_orders as decimal(10, 2))
            as mean_days_between_orders,
        cast(gap_stats.median_days_between_orders as decimal(10, 2))
            as median_days_between_orders,
        {%- for channel in channels %}
            order_stats.order_count_{{ channel }},
        {%- endfor %}
        first_orders.acquisition_channel,
        first_orders.acquisition_campaign
    from order_stats
    left join gap_stats on order_stats.customer_id = gap_stats.customer_id
    left join first_orders on order_stats.customer_id = first_orders.customer_id
)

select * from final
