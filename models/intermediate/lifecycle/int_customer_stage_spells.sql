-- One row per customer stage spell up to the as-of date: a run of days in one lifecycle
-- stage, from the day the stage began to the day the next began (null while current).
-- Each purchase spell opens with its opening stage (new, active, repeat_loyal or
-- reactivated) and moves on the dates it crossed a limit (new -> active after the new
-- window; at risk, dormant, churned); consecutive pieces in the same stage (a loyal
-- customer's purchases) merge into one spell.
with

purchase_spells as (
    select * from {{ ref('int_customer_purchase_spells') }}
),

pieces as (
    select
        customer_id,
        opening_stage as lifecycle_stage,
        purchase_date as piece_start_date
    from purchase_spells
    union all
    select
        customer_id,
        'active' as lifecycle_stage,
        active_date as piece_start_date
    from purchase_spells
    where active_date is not null
    {%- for stage in ['at_risk', 'dormant', 'churned'] %}
        union all
        select
            customer_id,
            '{{ stage }}' as lifecycle_stage,
            {{ stage }}_date as piece_start_date
        from purchase_spells
        where {{ stage }}_date is not null
    {%- endfor %}
),

flagged as (
    select
        customer_id,
        lifecycle_stage,
        piece_start_date,
        lead(piece_start_date) over (
            partition by customer_id order by piece_start_date
        ) as piece_end_date,
        case
            when
                lifecycle_stage = lag(lifecycle_stage) over (
                    partition by customer_id order by piece_start_date
                )
                then 0
            else 1
        end as is_stage_change
    from pieces
),

numbered as (
    select
        *,
        sum(is_stage_change) over (
            partition by customer_id
            order by piece_start_date
            rows between unbounded preceding and current row
        ) as stage_spell_number
    from flagged
),

spells as (
    select
        customer_id,
        stage_spell_number,
        min(lifecycle_stage) as lifecycle_stage,
        min(piece_start_date) as stage_start_date,
        case
            when count(piece_end_date) = count(*) then max(piece_end_date)
        end as stage_end_date
    from numbered
    group by customer_id, stage_spell_number
),

final as (
    select
        customer_id,
        cast(stage_spell_number as integer) as stage_spell_number,
        lifecycle_stage,
        cast(stage_start_date as date) as stage_start_date,
        cast(stage_end_date as date) as stage_end_date,
        lag(lifecycle_stage) over (
            partition by customer_id order by stage_spell_number
        ) as previous_stage
    from spells
)

select * from final
