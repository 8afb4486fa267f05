-- One row per customer with a placed order up to the as-of date: placed orders and net
-- spend of the loyalty window (var `loyalty_window_months` months up to the as-of date),
-- the loyalty tier they hold, its points multiplier and what is missing to the next tier.
-- A tier is reached by its minimum net spend OR its minimum order count; the customer
-- holds the highest tier reached.
with

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

tiers as (
    select * from {{ ref('int_loyalty_tier_ladder') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- The window holds the order dates after the same day `loyalty_window_months` earlier.
loyalty_window as (
    select
        as_of_date,
        cast(
            {{ dbt.dateadd('month', -var('loyalty_window_months'), 'as_of_date') }} as date
        ) as window_after_date
    from as_of
),

-- Every customer with a placed order appears, with zeros when none is in the window.
window_totals as (
    select
        orders.customer_id,
        sum(case when orders.order_date > loyalty_window.window_after_date then 1 else 0 end)
            as window_order_count,
        sum(
            case
                when orders.order_date > loyalty_window.window_after_date
                    then orders.order_total_reporting
                else 0
            end
        ) as window_gross_spend_reporting,
        sum(
            case
                when orders.order_date > loyalty_window.window_after_date
                    then orders.net_total_reporting
                else 0
            end
        ) as window_net_spend_reporting
    from orders
    cross join loyalty_window
    group by orders.customer_id
),

-- The minimums rise with the rank (tested), so exactly one tier matches: reached, and
-- its next tier (if any) not reached.
tiered as (
    select
        window_totals.*,
        tiers.*,
        tiers.min_net_spend_reporting
        <= window_totals.window_net_spend_reporting as is_spend_qualified,
        window_totals.window_order_count >= tiers.min_placed_orders as is_orders_qualified
    from window_totals
    inner join tiers
        on
            (
                window_totals.window_net_spend_reporting >= tiers.min_net_spend_reporting
                or window_totals.window_order_count >= tiers.min_placed_orders
            )
            and (
                tiers.next_tier_key is null
                or (
                    window_totals.window_net_spend_reporting
                    < tiers.next_min_net_spend_reporting
                    and window_totals.window_order_count < tiers.next_min_placed_orders
                )
            )
),

final as (
    select
        tiered.customer_id,
        cast(loyalty_window.as_of_date as date) as as_of_date,
        cast({{ dbt.dateadd('day', 1, 'loyalty_window.window_after_date') }} as date)
            as window_start_date,
        cast(tiered.window_order_count as integer) as window_order_count,
        cast(tiered.window_gross_spend_reporting as decimal(18, 2))
            as window_gross_spend_reporting,
        cast(tiered.window_net_spend_reporting as decimal(18, 2))
            as window_net_spend_reporting,
        cast(tiered.tier_key as varchar) as tier_key,
        cast(tiered.tier_rank as integer) as tier_rank,
        cast(tiered.tier_name_en as varchar) as tier_name_en,
        cast(tiered.tier_name_zh as varchar) as tier_name_zh,
        cast(
            case
                when tiered.tier_rank = 1 then 'entry'
                when tiered.is_spend_qualified and tiered.is_orders_qualified
                    then 'spend_and_orders'
                when tiered.is_spend_qualified then 'spend'
                else 'orders'
            end as varchar
        ) as qualified_by,
        cast(tiered.points_multiplier as decimal(6, 2)) as points_multiplier,
        cast(tiered.has_vip_care as boolean) as has_vip_care,
        cast(tiered.next_tier_key as varchar) as next_tier_key,
        cast(tiered.next_min_net_spend_reporting as decimal(18, 2))
            as next_tier_min_net_spend_reporting,
        cast(tiered.next_min_placed_orders as integer) as next_tier_min_placed_orders,
        cast(
            tiered.next_min_net_spend_reporting - tiered.window_net_spend_reporting
            as decimal(18, 2)
        ) as spend_to_next_tier_reporting,
        cast(tiered.next_min_placed_orders - tiered.window_order_count as integer)
            as orders_to_next_tier,
        '{{ var("reporting_currency") }}' as reporting_currency
    from tiered
    cross join loyalty_window
)

select * from final
