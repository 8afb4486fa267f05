-- One row per customer purchase day up to the as-of date: the spell from that purchase
-- to the next, its opening lifecycle stage, and the dates the customer crossed the end of
-- the new window and the at-risk, dormant and churned limits during it (null when they
-- bought again first or the date is after the as-of date). Row by row from the sequenced
-- purchase days; no join but the one-row as-of date.
{%- set cycle_min = var('lifecycle_cycle_min_purchase_days') %}

with

purchase_days as (
    select * from {{ ref('int_customer_purchase_days_sequenced') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

projected as (
    select
        purchase_days.*,
        as_of.as_of_date,
        {%- for stage in ['at_risk', 'dormant', 'churned'] %}
            {{ dbt.dateadd(
                'day', 'purchase_days.' ~ stage ~ '_after_days', 'purchase_days.purchase_date'
            ) }} as {{ stage }}_from_date,
        {%- endfor %}
        {{ dbt.dateadd('day', var('lifecycle_new_days'), 'purchase_days.purchase_date') }}
            as new_until_date
    from purchase_days
    cross join as_of
),

crossed as (
    select
        *,
        {%- for stage in ['at_risk', 'dormant', 'churned'] %}
            case
                when
                    {{ stage }}_from_date <= as_of_date
                    and (next_purchase_date is null or next_purchase_date > {{ stage }}_from_date)
                    then cast({{ stage }}_from_date as date)
            end as {{ stage }}_date,
        {%- endfor %}
        case
            when
                purchase_day_number = 1
                and new_until_date < at_risk_from_date
                and new_until_date <= as_of_date
                and (next_purchase_date is null or next_purchase_date > new_until_date)
                then cast(new_until_date as date)
        end as active_date
    from projected
),

staged as (
    select
        *,
        case
            when purchase_day_number = 1 then 'new'
            when gap_days > previous_dormant_after_days then 'reactivated'
            when purchase_day_number >= {{ cycle_min }} then 'repeat_loyal'
            else 'active'
        end as opening_stage
    from crossed
),

final as (
    select
        customer_id,
        purchase_day_number,
        purchase_date,
        previous_purchase_date,
        next_purchase_date,
        gap_days,
        cycle_days,
        at_risk_after_days,
        dormant_after_days,
        churned_after_days,
        opening_stage,
        active_date,
        at_risk_date,
        dormant_date,
        churned_date
    from staged
)

select * from final
