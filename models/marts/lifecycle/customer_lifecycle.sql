-- One row per customer with a placed order up to the as-of date: lifecycle stage on the
-- as-of date, since when and what came before, the customer's purchase cycle and the
-- limits in force (and the dates they will be crossed without a purchase), and how often
-- the customer has lapsed, churned and come back.
with

stage_spells as (
    select * from {{ ref('int_customer_stage_spells') }}
),

purchase_spells as (
    select * from {{ ref('int_customer_purchase_spells') }}
),

lapses as (
    select * from {{ ref('int_customer_lapses') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

current_stages as (
    select * from stage_spells
    where stage_end_date is null
),

purchase_history as (
    select
        customer_id,
        min(purchase_date) as first_order_date,
        max(purchase_date) as last_order_date,
        count(*) as purchase_day_count,
        sum(case when opening_stage = 'reactivated' then 1 else 0 end) as reactivation_count
    from purchase_spells
    group by customer_id
),

current_limits as (
    select * from purchase_spells
    where next_purchase_date is null
),

lapse_counts as (
    select
        customer_id,
        count(*) as lapse_count,
        count(churned_date) as churn_count
    from lapses
    group by customer_id
),

final as (
    select
        cast(current_stages.customer_id as varchar) as customer_id,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(current_stages.lifecycle_stage as varchar) as lifecycle_stage,
        cast(current_stages.stage_start_date as date) as stage_start_date,
        cast(
            {{ dbt.datediff('current_stages.stage_start_date', 'as_of.as_of_date', 'day') }}
            as integer
        ) as days_in_stage,
        cast(current_stages.previous_stage as varchar) as previous_stage,
        cast(purchase_history.first_order_date as date) as first_order_date,
        cast(purchase_history.last_order_date as date) as last_order_date,
        cast(
            {{ dbt.datediff('purchase_history.last_order_date', 'as_of.as_of_date', 'day') }}
            as integer
        ) as days_since_last_order,
        cast(purchase_history.purchase_day_count as integer) as purchase_day_count,
        cast(current_limits.cycle_days as decimal(10, 2)) as cycle_days,
        cast(current_limits.cycle_days is not null as boolean) as has_personal_cycle,
        cast(current_limits.at_risk_after_days as integer) as at_risk_after_days,
        cast(current_limits.dormant_after_days as integer) as dormant_after_days,
        cast(current_limits.churned_after_days as integer) as churned_after_days,
        {%- for stage in ['at_risk', 'dormant', 'churned'] %}
            cast({{ dbt.dateadd(
                'day', 'current_limits.' ~ stage ~ '_after_days', 'current_limits.purchase_date'
            ) }} as date) as {{ stage }}_from_date,
        {%- endfor %}
        cast(coalesce(lapse_counts.lapse_count, 0) as integer) as lapse_count,
        cast(coalesce(lapse_counts.churn_count, 0) as integer) as churn_count,
        cast(purchase_history.reactivation_count as integer) as reactivation_count
    from current_stages
    cross join as_of
    inner join purchase_history on current_stages.customer_id = purchase_history.customer_id
    inner join current_limits on current_stages.customer_id = current_limits.customer_id
    left join lapse_counts on current_stages.customer_id = lapse_counts.customer_id
)

select * from final
