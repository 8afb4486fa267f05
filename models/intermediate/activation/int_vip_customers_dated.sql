-- Today's VIPs (loyalty tier with VIP care) and the day they last became VIP: their order
-- history is replayed (only theirs: a few percent of customers), each order adding its
-- net total and one order on its date and taking them back on the day it leaves the
-- loyalty window, so running sums give the window's totals at every change.
{%- set months = var('loyalty_window_months') %}

with

loyalty as (
    select * from {{ ref('customer_loyalty') }}
    where has_vip_care
),

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

tiers as (
    select * from {{ ref('int_loyalty_tier_ladder') }}
    where has_vip_care
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- The tiers rise (tested), so VIP means reaching the lowest VIP tier.
vip_minimums as (
    select
        min(min_net_spend_reporting) as min_net_spend_reporting,
        min(min_placed_orders) as min_placed_orders
    from tiers
),

vip_orders as (
    select
        orders.customer_id,
        orders.order_date,
        orders.net_total_reporting,
        cast({{ dbt.dateadd('month', months, 'orders.order_date') }} as date) as months_later
    from orders
    inner join loyalty on orders.customer_id = loyalty.customer_id
),

-- An order leaves the window on the first day whose window start is after it: the same
-- day `months` later, or the day after when month ends clip it (29 February).
changes as (
    select
        customer_id,
        order_date as change_date,
        net_total_reporting as spend_change,
        1 as order_change
    from vip_orders
    union all
    select
        customer_id,
        case
            when {{ dbt.dateadd('month', -months, 'months_later') }} >= order_date
                then months_later
            else cast({{ dbt.dateadd('day', 1, 'months_later') }} as date)
        end as change_date,
        -net_total_reporting as spend_change,
        -1 as order_change
    from vip_orders
),

daily_changes as (
    select
        changes.customer_id,
        changes.change_date,
        sum(changes.spend_change) as spend_change,
        sum(changes.order_change) as order_change
    from changes
    cross join as_of
    where changes.change_date <= as_of.as_of_date
    group by changes.customer_id, changes.change_date
),

states as (
    select
        daily_changes.customer_id,
        daily_changes.change_date,
        sum(daily_changes.spend_change) over (
            partition by daily_changes.customer_id
            order by daily_changes.change_date
            rows between unbounded preceding and current row
        ) >= vip_minimums.min_net_spend_reporting
        or sum(daily_changes.order_change) over (
            partition by daily_changes.customer_id
            order by daily_changes.change_date
            rows between unbounded preceding and current row
        ) >= vip_minimums.min_placed_orders as is_vip
    from daily_changes
    cross join vip_minimums
),

last_non_vip as (
    select
        customer_id,
        max(case when not is_vip then change_date end) as last_non_vip_date
    from states
    group by customer_id
),

vip_since as (
    select
        states.customer_id,
        min(states.change_date) as vip_since_date
    from states
    inner join last_non_vip on states.customer_id = last_non_vip.customer_id
    where
        states.is_vip
        and (
            last_non_vip.last_non_vip_date is null
            or states.change_date > last_non_vip.last_non_vip_date
        )
    group by states.customer_id
),

final as (
    select
        vip_since.customer_id,
        loyalty.tier_key,
        vip_since.vip_since_date
    from vip_since
    inner join loyalty on vip_since.customer_id = loyalty.customer_id
)

select * from final
