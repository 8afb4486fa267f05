-- The loyalty tiers of the seed, lowest first, each with the tier above it and that
-- tier's minimums: what a member must reach to move up.
with

tiers as (
    select * from {{ ref('loyalty_tiers') }}
),

laddered as (
    select
        tier_key,
        tier_rank,
        tier_name_en,
        tier_name_zh,
        min_net_spend_reporting,
        min_placed_orders,
        points_multiplier,
        has_vip_care,
        lag(tier_key) over (order by tier_rank) as previous_tier_key,
        lead(tier_key) over (order by tier_rank) as next_tier_key,
        lead(tier_rank) over (order by tier_rank) as next_tier_rank,
        lead(min_net_spend_reporting) over (order by tier_rank)
            as next_min_net_spend_reporting,
        lead(min_placed_orders) over (order by tier_rank) as next_min_placed_orders,
        lead(points_multiplier) over (order by tier_rank) as next_points_multiplier,
        lead(has_vip_care) over (order by tier_rank) as next_has_vip_care
    from tiers
),

final as (
    select * from laddered
)

select * from final
