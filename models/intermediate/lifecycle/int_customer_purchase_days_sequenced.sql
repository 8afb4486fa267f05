-- One row per customer purchase day (a business date with a placed order) up to the
-- as-of date, in order, with the gap since the previous one and the lifecycle limits in
-- force after it, computed from the purchase days up to it only (no look-ahead): from
-- the customer's median gap so far once a cycle is established, else the defaults.
-- Window functions over each customer's purchase days; no self-join.
{%- set cycle_min = var('lifecycle_cycle_min_purchase_days') %}
{%- set churned_days = var('lifecycle_churned_days') %}

with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where customer_id is not null and is_placed
),

purchase_days as (
    select distinct
        customer_id,
        order_date as purchase_date
    from orders
),

sequenced as (
    select
        customer_id,
        purchase_date,
        row_number() over (partition by customer_id order by purchase_date)
            as purchase_day_number,
        lag(purchase_date) over (partition by customer_id order by purchase_date)
            as previous_purchase_date,
        lead(purchase_date) over (partition by customer_id order by purchase_date)
            as next_purchase_date
    from purchase_days
),

gapped as (
    select
        *,
        {{ dbt.datediff('previous_purchase_date', 'purchase_date', 'day') }}
            as gap_days
    from sequenced
),

cycled as (
    select
        *,
        case
            when purchase_day_number >= {{ cycle_min }}
                then {{ running_median('gap_days', 'customer_id', 'purchase_date') }}
        end as cycle_days
    from gapped
),

-- Personal limits stay below the next limit so that every lapse passes through at risk
-- and dormant before churned.
thresholds as (
    select
        *,
        least(
            case
                when cycle_days is null then {{ var('lifecycle_dormant_days') }}
                else greatest(
                    {{ var('lifecycle_dormant_min_days') }},
                    cast(
                        ceil({{ var('lifecycle_dormant_cycle_multiple') }} * cycle_days)
                        as integer
                    )
                )
            end,
            {{ churned_days }} - 1
        ) as dormant_after_days,
        case
            when cycle_days is null then {{ var('lifecycle_at_risk_days') }}
            else greatest(
                {{ var('lifecycle_at_risk_min_days') }},
                cast(
                    ceil({{ var('lifecycle_at_risk_cycle_multiple') }} * cycle_days)
                    as integer
                )
            )
        end as at_risk_limit_days
    from cycled
),

limited as (
    select
        *,
        least(at_risk_limit_days, dormant_after_days - 1) as at_risk_after_days,
        {{ churned_days }} as churned_after_days
    from thresholds
),

final as (
    select
        customer_id,
        purchase_day_number,
        purchase_date,
        previous_purchase_date,
        next_purchase_date,
        gap_days,
        cast(cycle_days as decimal(10, 2)) as cycle_days,
        cast(at_risk_after_days as integer) as at_risk_after_days,
        cast(dormant_after_days as integer) as dormant_after_days,
        cast(churned_after_days as integer) as churned_after_days,
        cast(
            lag(dormant_after_days) over (partition by customer_id order by purchase_date)
            as integer
        ) as previous_dormant_after_days
    from limited
)

select * from final
