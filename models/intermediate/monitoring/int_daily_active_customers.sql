-- Customers active on each business date of int_sales_days_flagged: those who bought on
-- the day or on one of the previous days of the trailing window (var
-- `kpi_active_window_days`). Counted from purchase-day spells in one pass: a customer is
-- active from a purchase day until the window after it runs out or the next purchase day
-- starts a new spell (purchase days from int_customer_purchase_days_sequenced); the
-- running sum of spell starts minus spell ends is the count.
{%- set window_days = var('kpi_active_window_days') %}

with

sales_days as (
    select * from {{ ref('int_sales_days_flagged') }}
),

purchase_days as (
    select * from {{ ref('int_customer_purchase_days_sequenced') }}
),

spells as (
    select
        purchase_date as spell_start_date,
        least(
            {{ dbt.dateadd('day', window_days, 'purchase_date') }},
            coalesce(
                next_purchase_date,
                {{ dbt.dateadd('day', window_days, 'purchase_date') }}
            )
        ) as spell_end_date
    from purchase_days
),

spell_edges as (
    select
        spell_start_date as edge_date,
        1 as active_change
    from spells
    union all
    select
        spell_end_date as edge_date,
        -1 as active_change
    from spells
),

daily_changes as (
    select
        edge_date,
        sum(active_change) as active_change
    from spell_edges
    group by edge_date
),

final as (
    select
        sales_days.sales_date as kpi_date,
        sum(coalesce(daily_changes.active_change, 0)) over (
            order by sales_days.sales_date rows between unbounded preceding and current row
        ) as active_customers
    from sales_days
    left join daily_changes on sales_days.sales_date = daily_changes.edge_date
)

select * from final
