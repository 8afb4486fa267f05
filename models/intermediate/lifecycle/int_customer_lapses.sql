-- One row per customer lapse up to the as-of date: a purchase spell in which the customer
-- went without a purchase long enough to become at risk. The dates the customer crossed
-- the at-risk, dormant and churned limits (null when they bought again first, or not yet
-- reached on the as-of date) and the purchase that ended the lapse, if any. The stages of
-- the lifecycle marts come from the same spells, so a customer is churned on a date
-- exactly when a lapse has churned_date on or before it and no return yet.
with

spells as (
    select * from {{ ref('int_customer_purchase_spells') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

lapses as (
    select
        spells.customer_id,
        row_number() over (
            partition by spells.customer_id order by spells.purchase_date
        ) as lapse_number,
        spells.purchase_day_number,
        spells.purchase_date as last_order_date,
        spells.cycle_days,
        spells.at_risk_after_days,
        spells.dormant_after_days,
        spells.churned_after_days,
        spells.at_risk_date,
        spells.dormant_date,
        spells.churned_date,
        spells.next_purchase_date as returned_order_date,
        as_of.as_of_date
    from spells
    cross join as_of
    where spells.at_risk_date is not null
),

final as (
    select
        customer_id,
        cast(lapse_number as integer) as lapse_number,
        purchase_day_number,
        last_order_date,
        cycle_days,
        at_risk_after_days,
        dormant_after_days,
        churned_after_days,
        at_risk_date,
        dormant_date,
        churned_date,
        returned_order_date,
        case
            when churned_date is not null then 'churned'
            when dormant_date is not null then 'dormant'
            else 'at_risk'
        end as deepest_stage,
        returned_order_date is not null as has_returned,
        {{ dbt.datediff(
            'last_order_date', 'coalesce(returned_order_date, as_of_date)', 'day'
        ) }} as lapse_days
    from lapses
)

select * from final
