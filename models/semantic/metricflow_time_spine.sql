-- One row per day from 1990 to 2035: the time spine MetricFlow joins metrics to, so that
-- a month without orders still appears as a month with zero. Static bounds on purpose:
-- imported histories may start in the 1990s.
with

days as (
    {{ dbt.date_spine(
        'day',
        "cast('1990-01-01' as date)",
        "cast('2036-01-01' as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
