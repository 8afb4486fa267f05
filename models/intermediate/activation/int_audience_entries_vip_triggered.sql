-- `vip_care` entries: a customer in a loyalty tier with VIP care enters on the day they
-- last became VIP and again every var `activation_vip_care_every_days` days while still
-- VIP; the latest such day is listed while in the trigger's window.
{%- set every = var('activation_vip_care_every_days') %}

with

vips as (
    select * from {{ ref('int_vip_customers_dated') }}
),

windows as (
    select * from {{ ref('int_audience_triggers_windowed') }}
    where trigger_key = 'vip_care'
),

care_dates as (
    select
        vips.customer_id,
        windows.trigger_key,
        vips.tier_key,
        windows.window_start_date,
        cast(
            {{ dbt.dateadd(
                'day',
                'cast(floor(' ~ dbt.datediff('vips.vip_since_date', 'windows.as_of_date', 'day')
                ~ ' / ' ~ every ~ ') as integer) * ' ~ every,
                'vips.vip_since_date'
            ) }} as date
        ) as entry_date
    from vips
    cross join windows
),

final as (
    select
        customer_id,
        trigger_key,
        entry_date,
        tier_key as trigger_reference
    from care_dates
    where entry_date >= window_start_date
)

select * from final
