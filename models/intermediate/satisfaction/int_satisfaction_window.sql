-- One row: the as-of date and the first business date of the trailing window (var
-- `satisfaction_window_months`) that NPS by segment and by category and the feedback
-- keywords read.
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

final as (
    select
        as_of_date,
        cast(
            {{ dbt.dateadd(
                'day', 1,
                dbt.dateadd('month', -var('satisfaction_window_months'), 'as_of_date')
            ) }} as date
        ) as window_start_date
    from as_of
)

select * from final
