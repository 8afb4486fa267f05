-- One row per business date from the first order date to the as-of date (days without
-- orders included): placed orders, customers, first orders and revenue of the day, and the
-- public holidays and shopping festivals of the seed the day falls in. A day can be in two
-- periods at once (the Dragon Boat break inside 618).
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed
),

holidays as (
    select * from {{ ref('holidays') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

bounds as (
    select
        min(orders.order_date) as first_date,
        max(as_of.as_of_date) as last_date
    from orders
    cross join as_of
),

day_numbers as (
    {{ dbt.generate_series(10000) }}
),

calendar as (
    select
        cast(
            {{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_date') }}
            as date
        ) as sales_date
    from bounds
    cross join day_numbers
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}
),

daily_orders as (
    select
        order_date,
        count(*) as orders,
        count(distinct customer_id) as customers,
        count(case when customer_order_number = 1 then order_id end) as first_orders,
        sum(order_total_reporting) as revenue_reporting
    from orders
    group by order_date
),

holiday_days as (
    select
        calendar.sales_date,
        max(case when holidays.holiday_type = 'public_holiday' then 1 else 0 end)
            as is_public_holiday,
        max(case when holidays.holiday_type = 'shopping_festival' then 1 else 0 end)
            as is_shopping_festival,
        max(case when holidays.peak_date = calendar.sales_date then 1 else 0 end)
            as is_peak_day,
        {{ dbt.listagg('holidays.holiday_key', "', '", 'order by holidays.holiday_key') }}
            as holiday_keys
    from calendar
    inner join holidays
        on
            calendar.sales_date >= holidays.start_date
            and calendar.sales_date <= holidays.end_date
    group by calendar.sales_date
),

final as (
    select
        calendar.sales_date,
        {{ iso_weekday('calendar.sales_date') }} as iso_weekday,
        coalesce(daily_orders.orders, 0) as orders,
        coalesce(daily_orders.customers, 0) as customers,
        coalesce(daily_orders.first_orders, 0) as first_orders,
        coalesce(daily_orders.revenue_reporting, 0) as revenue_reporting,
        coalesce(holiday_days.is_public_holiday = 1, false) as is_public_holiday,
        coalesce(holiday_days.is_shopping_festival = 1, false) as is_shopping_festival,
        holiday_days.sales_date is not null as is_holiday,
        coalesce(holiday_days.is_peak_day = 1, false) as is_peak_day,
        holiday_days.holiday_keys
    from calendar
    left join daily_orders on calendar.sales_date = daily_orders.order_date
    left join holiday_days on calendar.sales_date = holiday_days.sales_date
)

select * from final
