-- One row per public holiday or shopping festival of the seed that overlaps the order
-- history up to the as-of date: the period clipped to the history, its orders and revenue
-- in total, per day and on the peak day, and its trailing baseline: the mean day of the
-- var `behaviour_holiday_baseline_days` days before the period that are in no holiday
-- period (null with fewer than var `behaviour_holiday_min_baseline_days` such days).
{%- set baseline_days = var('behaviour_holiday_baseline_days') %}

with

holidays as (
    select * from {{ ref('holidays') }}
),

sales_days as (
    select * from {{ ref('int_sales_days_flagged') }}
),

bounds as (
    select
        min(sales_date) as first_date,
        max(sales_date) as last_date
    from sales_days
),

periods as (
    select
        holidays.*,
        case
            when holidays.start_date > bounds.first_date then holidays.start_date
            else bounds.first_date
        end as period_start_date,
        case
            when holidays.end_date < bounds.last_date then holidays.end_date
            else bounds.last_date
        end as period_end_date
    from holidays
    cross join bounds
    where holidays.start_date <= bounds.last_date and holidays.end_date >= bounds.first_date
),

period_sales as (
    select
        periods.holiday_key,
        count(*) as period_days,
        sum(sales_days.orders) as orders,
        sum(sales_days.revenue_reporting) as revenue_reporting,
        sum(case when sales_days.sales_date = periods.peak_date then sales_days.orders end)
            as peak_day_orders,
        sum(
            case
                when sales_days.sales_date = periods.peak_date
                    then sales_days.revenue_reporting
            end
        ) as peak_day_revenue_reporting
    from periods
    inner join sales_days
        on
            periods.period_start_date <= sales_days.sales_date
            and periods.period_end_date >= sales_days.sales_date
    group by periods.holiday_key
),

baseline_sales as (
    select
        periods.holiday_key,
        count(*) as baseline_days,
        avg(sales_days.orders) as baseline_orders_per_day,
        avg(sales_days.revenue_reporting) as baseline_revenue_per_day_reporting
    from periods
    inner join sales_days
        on
            {{ dbt.dateadd('day', -baseline_days, 'periods.start_date') }}
            <= sales_days.sales_date
            and periods.start_date > sales_days.sales_date
            and not sales_days.is_holiday
    group by periods.holiday_key
),

final as (
    select
        periods.holiday_key,
        periods.holiday_name_en,
        periods.holiday_name_zh,
        periods.holiday_type,
        periods.start_date,
        periods.end_date,
        periods.peak_date,
        periods.period_start_date,
        periods.period_end_date,
        period_sales.period_days,
        period_sales.orders,
        period_sales.revenue_reporting,
        period_sales.orders * 1.0 / period_sales.period_days as orders_per_day,
        period_sales.revenue_reporting / period_sales.period_days as revenue_per_day_reporting,
        period_sales.peak_day_orders,
        period_sales.peak_day_revenue_reporting,
        coalesce(baseline_sales.baseline_days, 0) as baseline_days,
        case
            when baseline_sales.baseline_days >= {{ var('behaviour_holiday_min_baseline_days') }}
                then baseline_sales.baseline_orders_per_day
        end as baseline_orders_per_day,
        case
            when baseline_sales.baseline_days >= {{ var('behaviour_holiday_min_baseline_days') }}
                then baseline_sales.baseline_revenue_per_day_reporting
        end as baseline_revenue_per_day_reporting
    from periods
    inner join period_sales on periods.holiday_key = period_sales.holiday_key
    left join baseline_sales on periods.holiday_key = baseline_sales.holiday_key
)

select * from final
