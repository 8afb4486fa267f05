-- The daily KPIs before anomaly flags: order and customer activity, NPS of the day and of
-- the trailing window (var `kpi_nps_window_days`), customers churning that day (crossing
-- the churn threshold of the lifecycle model) and the holiday or festival of the day.
{%- set nps_window = var('kpi_nps_window_days') %}

with

activity as (
    select * from {{ ref('int_daily_customer_activity') }}
),

nps_responses as (
    select * from {{ ref('stg_surveys__nps_responses') }}
),

lapses as (
    select * from {{ ref('int_customer_lapses') }}
),

holidays as (
    select * from {{ ref('holidays') }}
),

daily_nps as (
    select
        cast({{ utc_to_local('responded_at', var('business_timezone')) }} as date)
            as response_date,
        count(*) as nps_responses,
        sum(case when score >= 9 then 1 else 0 end) as nps_promoters,
        sum(case when score <= 6 then 1 else 0 end) as nps_detractors
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

daily_holidays as (
    select
        activity.kpi_date,
        {{ dbt.listagg(
            'holidays.holiday_name_en', "' / '", 'order by holidays.holiday_name_en'
        ) }} as holiday_names,
        max(case when holidays.holiday_type = 'public_holiday' then 1 else 0 end) = 1
            as is_public_holiday
    from activity
    inner join holidays
        on activity.kpi_date between holidays.start_date and holidays.end_date
    group by activity.kpi_date
),

joined as (
    select
        activity.*,
        {{ iso_weekday('activity.kpi_date') }} as iso_weekday,
        coalesce(daily_nps.nps_responses, 0) as nps_responses,
        coalesce(daily_nps.nps_promoters, 0) as nps_promoters,
        coalesce(daily_nps.nps_detractors, 0) as nps_detractors,
        coalesce(daily_churn.churned_customers, 0) as churned_customers,
        lag(activity.active_customers) over (order by activity.kpi_date)
            as active_customers_previous_day,
        daily_holidays.holiday_names,
        coalesce(daily_holidays.is_public_holiday, false) as is_public_holiday
    from activity
    left join daily_nps on activity.kpi_date = daily_nps.response_date
    left join daily_churn on activity.kpi_date = daily_churn.churned_date
    left join daily_holidays on activity.kpi_date = daily_holidays.kpi_date
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
