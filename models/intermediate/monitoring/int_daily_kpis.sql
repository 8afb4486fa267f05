-- The daily KPIs before anomaly flags: the day's sales and holidays (int_sales_days_flagged),
-- active customers, NPS of the day and of the trailing window (var `kpi_nps_window_days`)
-- and customers churning that day (crossing the churn limit of the lifecycle model).
{%- set nps_window = var('kpi_nps_window_days') %}

with

sales_days as (
    select * from {{ ref('int_sales_days_flagged') }}
),

active_customers as (
    select * from {{ ref('int_daily_active_customers') }}
),

nps_responses as (
    select * from {{ ref('stg_surveys__nps_responses') }}
),

lapses as (
    select * from {{ ref('int_customer_lapses') }}
),

daily_nps as (
    select
        cast({{ utc_to_local('responded_at', var('business_timezone')) }} as date)
            as response_date,
        {{ nps_counts('score') }}
    from nps_responses
    group by cast({{ utc_to_local('responded_at', var('business_timezone')) }} as date)
),

daily_churn as (
    select
        churned_date,
        count(*) as churned_customers
    from lapses
    where churned_date is not null
    group by churned_date
),

joined as (
    select
        sales_days.sales_date as kpi_date,
        sales_days.iso_weekday,
        sales_days.holiday_keys,
        sales_days.is_public_holiday,
        sales_days.is_shopping_festival,
        sales_days.orders,
        sales_days.revenue_reporting as gross_revenue_reporting,
        sales_days.customers as purchasing_customers,
        sales_days.first_orders as new_customers,
        active_customers.active_customers,
        lag(active_customers.active_customers) over (order by sales_days.sales_date)
            as active_customers_previous_day,
        coalesce(daily_nps.responses, 0) as nps_responses,
        coalesce(daily_nps.promoters, 0) as nps_promoters,
        coalesce(daily_nps.detractors, 0) as nps_detractors,
        coalesce(daily_churn.churned_customers, 0) as churned_customers
    from sales_days
    inner join active_customers on sales_days.sales_date = active_customers.kpi_date
    left join daily_nps on sales_days.sales_date = daily_nps.response_date
    left join daily_churn on sales_days.sales_date = daily_churn.churned_date
),

final as (
    select
        *,
        sum(nps_responses) over trailing_nps as nps_responses_trailing,
        sum(nps_promoters) over trailing_nps as nps_promoters_trailing,
        sum(nps_detractors) over trailing_nps as nps_detractors_trailing
    from joined
    window trailing_nps as (
        order by kpi_date rows between {{ nps_window - 1 }} preceding and current row
    )
)

select * from final
