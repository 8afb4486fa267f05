-- Per business date, from the first order date to the as-of date: placed orders, revenue,
-- purchasing, new and returning customers, and customers active in the trailing window
-- (var `kpi_active_window_days`). Active customers are counted from purchase-day spells:
-- a customer is active from a purchase day until the window after it runs out or the next
-- purchase day starts a new spell, so one pass over purchase days suffices.
{%- set window_days = var('kpi_active_window_days') %}

with

orders as (
    select * from {{ ref('fct_orders') }}
    where is_placed
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

first_order_date as (
    select min(order_date) as first_order_date from orders
),

day_offsets as (
    {{ day_offsets() }}
),

calendar as (
    select
        cast(
            {{ dbt.dateadd('day', 'day_offsets.day_offset', 'first_order_date.first_order_date') }}
            as date
        ) as kpi_date
    from day_offsets
    cross join first_order_date
    cross join as_of
    where
        day_offsets.day_offset
        <= {{ dbt.datediff('first_order_date.first_order_date', 'as_of.as_of_date', 'day') }}
),

purchase_days as (
    select
        customer_id,
        order_date,
        min(customer_order_number) as first_order_number_of_day
    from orders
    where customer_id is not null
    group by customer_id, order_date
),

spells as (
    select
        customer_id,
        order_date as spell_start_date,
        least(
            {{ dbt.dateadd('day', window_days, 'order_date') }},
            coalesce(
                lead(order_date) over (partition by customer_id order by order_date),
                {{ dbt.dateadd('day', window_days, 'order_date') }}
            )
        ) as spell_end_date
    from purchase_days
),

active_changes as (
    select
        spell_start_date as change_date,
        count(*) as active_change
    from spells
    group by spell_start_date
    union all
    select
        spell_end_date as change_date,
        -count(*) as active_change
    from spells
    group by spell_end_date
),

daily_orders as (
    select
        order_date,
        count(*) as orders,
        sum(order_total_reporting) as gross_revenue_reporting
    from orders
    group by order_date
),

daily_customers as (
    select
        order_date,
        count(*) as purchasing_customers,
        sum(case when first_order_number_of_day = 1 then 1 else 0 end) as new_customers
    from purchase_days
    group by order_date
),

daily_active_changes as (
    select
        change_date,
        sum(active_change) as active_change
    from active_changes
    group by change_date
),

final as (
    select
        calendar.kpi_date,
        coalesce(daily_orders.orders, 0) as orders,
        coalesce(daily_orders.gross_revenue_reporting, 0) as gross_revenue_reporting,
        coalesce(daily_customers.purchasing_customers, 0) as purchasing_customers,
        coalesce(daily_customers.new_customers, 0) as new_customers,
        sum(coalesce(daily_active_changes.active_change, 0)) over (
            order by calendar.kpi_date rows between unbounded preceding and current row
        ) as active_customers
    from calendar
    left join daily_orders on calendar.kpi_date = daily_orders.order_date
    left join daily_customers on calendar.kpi_date = daily_customers.order_date
    left join daily_active_changes on calendar.kpi_date = daily_active_changes.change_date
)

select * from final
