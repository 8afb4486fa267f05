-- Each trigger of seed `audience_triggers` with its listing window ending at the as-of
-- date: a member entered on `window_start_date` or later is still listed (the entry day
-- is day 1 of `audience_days`, default var `activation_audience_days`).
with

triggers as (
    select * from {{ ref('audience_triggers') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

days as (
    select
        trigger_key,
        trigger_priority,
        trigger_name_en,
        trigger_name_zh,
        coalesce(audience_days, {{ var('activation_audience_days') }}) as audience_days
    from triggers
),

final as (
    select
        days.trigger_key,
        days.trigger_priority,
        days.trigger_name_en,
        days.trigger_name_zh,
        days.audience_days,
        as_of.as_of_date,
        cast(
            {{ dbt.dateadd('day', '1 - days.audience_days', 'as_of.as_of_date') }} as date
        ) as window_start_date
    from days
    cross join as_of
)

select * from final
