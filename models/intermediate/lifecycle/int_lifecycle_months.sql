-- One row per calendar month from the month of the first placed order in the data to the
-- month of the as-of date, with the date a monthly snapshot is taken: the month's last
-- day, or the as-of date in the as-of month (then the month is partial). The monthly
-- lifecycle and cohort marts share it. At most 1,200 months (a century of history).
with

purchase_days as (
    select * from {{ ref('int_customer_purchase_days_sequenced') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

month_numbers as (
    {{ dbt.generate_series(1200) }}
),

bounds as (
    select
        cast({{ dbt.date_trunc('month', 'min(purchase_days.purchase_date)') }} as date)
            as first_month_start_date,
        cast({{ dbt.date_trunc('month', 'max(as_of.as_of_date)') }} as date)
            as last_month_start_date,
        max(as_of.as_of_date) as as_of_date
    from purchase_days
    cross join as_of
),

months as (
    select
        cast(
            {{ dbt.dateadd(
                'month', 'month_numbers.generated_number - 1', 'bounds.first_month_start_date'
            ) }} as date
        ) as month_start_date,
        bounds.as_of_date,
        bounds.last_month_start_date
    from month_numbers
    cross join bounds
),

month_ends as (
    select
        month_start_date,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start_date')) }} as date
        ) as month_end_date,
        month_start_date = last_month_start_date as is_as_of_month,
        as_of_date
    from months
    where month_start_date <= last_month_start_date
),

final as (
    select
        month_start_date,
        month_end_date,
        case when is_as_of_month then as_of_date else month_end_date end as snapshot_date,
        is_as_of_month,
        is_as_of_month and as_of_date < month_end_date as is_partial_month
    from month_ends
)

select * from final
