-- Audience entries set off by the purchase history, listed while in their trigger's
-- window: `first_purchase_follow_up` (var `activation_follow_up_days` after a first order
-- with no second order yet) and `silent_30_days` (the day var `activation_silent_days`
-- have passed since the last placed order). A second order ends the follow-up and any
-- order ends the silence: both are read from the facts as of the as-of date.
with

facts as (
    select * from {{ ref('int_customer_facts') }}
    where order_count > 0
),

windows as (
    select * from {{ ref('int_audience_triggers_windowed') }}
),

entries as (
    select
        customer_id,
        'first_purchase_follow_up' as trigger_key,
        cast(
            {{ dbt.dateadd('day', var('activation_follow_up_days'), 'first_order_date') }}
            as date
        ) as entry_date,
        top_category_id as trigger_reference
    from facts
    where order_count = 1
    union all
    select
        customer_id,
        'silent_30_days' as trigger_key,
        cast(
            {{ dbt.dateadd('day', var('activation_silent_days'), 'last_order_date') }}
            as date
        ) as entry_date,
        top_category_id as trigger_reference
    from facts
),

final as (
    select
        entries.customer_id,
        entries.trigger_key,
        entries.entry_date,
        entries.trigger_reference
    from entries
    inner join windows on entries.trigger_key = windows.trigger_key
    where
        entries.entry_date >= windows.window_start_date
        and entries.entry_date <= windows.as_of_date
)

select * from final
