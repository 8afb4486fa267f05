-- Audience entries set off by the calendar, listed while in their trigger's window:
-- `birthday_this_month` (every customer whose CRM birth month is the as-of month enters
-- on its first day) and `upcoming_holiday` (customers with a placed order in the loyalty
-- window enter var `activation_holiday_lead_days` before a holiday or shopping festival
-- of seed `holidays` starts, and leave when it starts).
with

facts as (
    select * from {{ ref('int_customer_facts') }}
),

loyalty as (
    select * from {{ ref('customer_loyalty') }}
    where window_order_count > 0
),

holidays as (
    select * from {{ ref('holidays') }}
),

windows as (
    select * from {{ ref('int_audience_triggers_windowed') }}
),

-- The first day of the month is in the window when `audience_days` covers the month
-- (the seed says 31), so a birthday is listed all month and leaves when it ends.
birthdays as (
    select
        facts.customer_id,
        windows.trigger_key,
        cast({{ dbt.date_trunc('month', 'windows.as_of_date') }} as date) as entry_date,
        cast(null as {{ dbt.type_string() }}) as trigger_reference
    from facts
    inner join windows
        on
            windows.trigger_key = 'birthday_this_month'
            and facts.birth_month = extract(month from windows.as_of_date)
            and {{ dbt.date_trunc('month', 'windows.as_of_date') }} >= windows.window_start_date
),

-- One holiday per entry date (two starting on one day: the earlier peak, then the key).
upcoming_holidays as (
    select
        windows.trigger_key,
        holidays.holiday_key,
        cast(
            {{ dbt.dateadd('day', -var('activation_holiday_lead_days'), 'holidays.start_date') }}
            as date
        ) as entry_date,
        row_number() over (
            partition by holidays.start_date
            order by holidays.peak_date, holidays.holiday_key
        ) as holiday_rank
    from holidays
    inner join windows on windows.trigger_key = 'upcoming_holiday'
    where
        holidays.start_date > windows.as_of_date
        and {{ dbt.dateadd('day', -var('activation_holiday_lead_days'), 'holidays.start_date') }}
        <= windows.as_of_date
        and {{ dbt.dateadd('day', -var('activation_holiday_lead_days'), 'holidays.start_date') }}
        >= windows.window_start_date
),

holiday_entries as (
    select
        loyalty.customer_id,
        upcoming_holidays.trigger_key,
        upcoming_holidays.entry_date,
        upcoming_holidays.holiday_key as trigger_reference
    from upcoming_holidays
    -- bounded: at most a few holidays start within the lead days
    cross join loyalty
    where upcoming_holidays.holiday_rank = 1
),

final as (
    select * from birthdays
    union all
    select * from holiday_entries
)

select * from final
