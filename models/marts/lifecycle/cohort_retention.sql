-- One row per first-order-month cohort x month since the first order (0 up to the as-of
-- month): cohort size, customers who bought in the month, retention rate, repurchase rate
-- (share of the cohort with a second purchase day by the month's end) and cumulative net
-- revenue per cohort customer. The as-of month is partial when the as-of date is not its
-- last day.
with

cohort_activity as (
    select * from {{ ref('int_cohort_months_aggregated') }}
),

months as (
    select * from {{ ref('int_lifecycle_months') }}
),

cohorts as (
    select
        cohort_month_start_date,
        active_customers as cohort_size
    from cohort_activity
    where month_start_date = cohort_month_start_date
),

cohort_months as (
    select
        cohorts.cohort_month_start_date,
        cohorts.cohort_size,
        months.month_start_date,
        months.is_partial_month,
        {{ dbt.datediff(
            'cohorts.cohort_month_start_date', 'months.month_start_date', 'month'
        ) }} as months_since_first_order
    from cohorts
    inner join months on cohorts.cohort_month_start_date <= months.month_start_date
),

filled as (
    select
        cohort_months.*,
        coalesce(cohort_activity.active_customers, 0) as active_customers,
        coalesce(cohort_activity.repurchasing_customers, 0) as repurchasing_customers,
        coalesce(cohort_activity.net_revenue_reporting, 0) as net_revenue_reporting
    from cohort_months
    left join cohort_activity
        on
            cohort_months.cohort_month_start_date = cohort_activity.cohort_month_start_date
            and cohort_months.month_start_date = cohort_activity.month_start_date
),

cumulated as (
    select
        *,
        sum(repurchasing_customers) over (
            partition by cohort_month_start_date
            order by month_start_date
            rows between unbounded preceding and current row
        ) as repurchased_customers,
        sum(net_revenue_reporting) over (
            partition by cohort_month_start_date
            order by month_start_date
            rows between unbounded preceding and current row
        ) as cumulative_net_revenue_reporting
    from filled
),

final as (
    select
        cast(cohort_month_start_date as date) as cohort_month_start_date,
        cast(months_since_first_order as integer) as months_since_first_order,
        cast(month_start_date as date) as month_start_date,
        cast(is_partial_month as boolean) as is_partial_month,
        cast(cohort_size as bigint) as cohort_size,
        cast(active_customers as bigint) as active_customers,
        cast(active_customers * 1.0 / cohort_size as decimal(10, 4)) as retention_rate,
        cast(repurchased_customers as bigint) as repurchased_customers,
        cast(repurchased_customers * 1.0 / cohort_size as decimal(10, 4)) as repurchase_rate,
        cast(net_revenue_reporting as decimal(18, 2)) as net_revenue_reporting,
        cast(cumulative_net_revenue_reporting as decimal(18, 2))
            as cumulative_net_revenue_reporting,
        cast(cumulative_net_revenue_reporting / cohort_size as decimal(18, 2))
            as cumulative_net_revenue_per_customer_reporting
    from cumulated
)

select * from final
