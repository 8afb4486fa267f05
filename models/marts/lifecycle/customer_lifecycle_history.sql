-- One row per customer and calendar month from the month of their first placed order to
-- the as-of month: the lifecycle stage at the month's snapshot (its last day; the as-of
-- date in the as-of month, so the last row agrees with customer_lifecycle). Built by
-- joining stage spells to the month spine on date ranges (months x spells that cover a
-- snapshot), never by looping over customers or days.
with

stage_spells as (
    select * from {{ ref('int_customer_stage_spells') }}
),

months as (
    select * from {{ ref('int_lifecycle_months') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

bounded_spells as (
    select
        stage_spells.customer_id,
        stage_spells.lifecycle_stage,
        stage_spells.stage_start_date,
        coalesce(
            stage_spells.stage_end_date,
            cast({{ dbt.dateadd('day', 1, 'as_of.as_of_date') }} as date)
        ) as stage_end_date
    from stage_spells
    cross join as_of
),

snapshots as (
    select
        bounded_spells.customer_id,
        months.month_start_date,
        months.snapshot_date,
        months.is_partial_month,
        bounded_spells.lifecycle_stage,
        bounded_spells.stage_start_date
    from bounded_spells
    inner join months
        on
            bounded_spells.stage_start_date <= months.snapshot_date
            and bounded_spells.stage_end_date > months.snapshot_date
),

final as (
    select
        cast(customer_id as varchar) as customer_id,
        cast(month_start_date as date) as month_start_date,
        cast(snapshot_date as date) as snapshot_date,
        cast(is_partial_month as boolean) as is_partial_month,
        cast(lifecycle_stage as varchar) as lifecycle_stage,
        cast(stage_start_date as date) as stage_start_date,
        cast(
            {{ dbt.datediff('stage_start_date', 'snapshot_date', 'day') }}
            as integer
        ) as days_in_stage
    from snapshots
)

select * from final
