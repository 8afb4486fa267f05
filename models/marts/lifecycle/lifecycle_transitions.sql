-- One row per calendar month x stage at the previous month's snapshot x stage at this
-- month's snapshot: how many customers moved (or stayed). `none` as the from-stage counts
-- customers whose first placed order fell in the month. Month-end snapshots: a customer
-- who passed through a stage between two snapshots is counted from the earlier stage to
-- the later one.
with

history as (
    select * from {{ ref('customer_lifecycle_history') }}
),

paired as (
    select
        month_start_date,
        is_partial_month,
        coalesce(
            lag(lifecycle_stage) over (partition by customer_id order by month_start_date),
            'none'
        ) as from_stage,
        lifecycle_stage as to_stage
    from history
),

counted as (
    select
        month_start_date,
        is_partial_month,
        from_stage,
        to_stage,
        count(*) as customers
    from paired
    group by month_start_date, is_partial_month, from_stage, to_stage
),

shared as (
    select
        *,
        sum(customers) over (partition by month_start_date, from_stage) as from_stage_customers
    from counted
),

final as (
    select
        cast(month_start_date as date) as month_start_date,
        cast(is_partial_month as boolean) as is_partial_month,
        cast(from_stage as varchar) as from_stage,
        cast(to_stage as varchar) as to_stage,
        cast(customers as bigint) as customers,
        cast(from_stage_customers as bigint) as from_stage_customers,
        cast(customers * 1.0 / from_stage_customers as decimal(10, 4)) as transition_share,
        cast(from_stage <> to_stage as boolean) as is_stage_change
    from shared
)

select * from final
