-- One row per public holiday or shopping festival of the seed that overlaps the order
-- history up to the as-of date: orders and revenue per day in the period against its
-- trailing baseline (int_holiday_periods_measured), and the uplift.
with

holiday_periods as (
    select * from {{ ref('int_holiday_periods_measured') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

final as (
    select
        cast(holiday_periods.holiday_key as varchar) as holiday_key,
        cast(holiday_periods.holiday_name_en as varchar) as holiday_name_en,
        cast(holiday_periods.holiday_name_zh as varchar) as holiday_name_zh,
        cast(holiday_periods.holiday_type as varchar) as holiday_type,
        cast(holiday_periods.start_date as date) as start_date,
        cast(holiday_periods.end_date as date) as end_date,
        cast(holiday_periods.peak_date as date) as peak_date,
        cast(holiday_periods.period_days as integer) as period_days,
        cast(
            holiday_periods.period_start_date = holiday_periods.start_date
            and holiday_periods.period_end_date = holiday_periods.end_date
            as boolean
        ) as is_period_complete,
        cast(holiday_periods.orders as integer) as orders,
        cast(holiday_periods.revenue_reporting as decimal(18, 2)) as revenue_reporting,
        cast(holiday_periods.orders_per_day as decimal(18, 2)) as orders_per_day,
        cast(holiday_periods.revenue_per_day_reporting as decimal(18, 2))
            as revenue_per_day_reporting,
        cast(holiday_periods.peak_day_orders as integer) as peak_day_orders,
        cast(holiday_periods.peak_day_revenue_reporting as decimal(18, 2))
            as peak_day_revenue_reporting,
        cast(holiday_periods.baseline_days as integer) as baseline_days,
        cast(holiday_periods.baseline_orders_per_day as decimal(18, 2)) as baseline_orders_per_day,
        cast(holiday_periods.baseline_revenue_per_day_reporting as decimal(18, 2))
            as baseline_revenue_per_day_reporting,
        cast(
            holiday_periods.orders_per_day / nullif(holiday_periods.baseline_orders_per_day, 0) - 1
            as decimal(12, 4)
        ) as orders_per_day_uplift,
        cast(
            holiday_periods.revenue_per_day_reporting
            / nullif(holiday_periods.baseline_revenue_per_day_reporting, 0) - 1
            as decimal(12, 4)
        ) as revenue_per_day_uplift,
        cast(
            holiday_periods.peak_day_revenue_reporting
            / nullif(holiday_periods.baseline_revenue_per_day_reporting, 0) - 1
            as decimal(12, 4)
        ) as peak_day_revenue_uplift,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from holiday_periods
    cross join as_of
)

select * from final
