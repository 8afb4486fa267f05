-- One row per customer with a placed order up to the as-of date: RFM values and 1-5
-- scores, the named RFM segment from the total seed map, the 2 x 2 frequency x spend
-- tier, the buyer type and the value tier with its recommended strategy.
with

scored as (
    select * from {{ ref('int_customers_rfm_scored') }}
),

segment_map as (
    select * from {{ ref('rfm_segments') }}
),

value_tiers as (
    select * from {{ ref('value_tiers') }}
),

medians as (
    select
        percentile_cont(0.5) within group (order by frequency) as median_frequency,
        percentile_cont(0.5) within group (order by monetary_reporting)
            as median_monetary_reporting
    from scored
),

tiered as (
    select
        scored.*,
        case
            when scored.frequency > medians.median_frequency then 'high_frequency'
            else 'low_frequency'
        end
        || '_'
        || case
            when scored.monetary_reporting > medians.median_monetary_reporting
                then 'high_spend'
            else 'low_spend'
        end as frequency_spend_tier,
        case
            when scored.frequency = 1 then 'one_time'
            when scored.frequency >= {{ var('buyer_type_frequent_min_orders') }}
                then 'frequent'
            else 'occasional'
        end as buyer_type,
        case
            when
                scored.frequency_score >= 4
                and scored.monetary_score >= 4
                and scored.recency_score >= 3
                then 'high_value'
            when scored.recency_score >= 4 then 'potential'
            when
                scored.recency_score <= 2
                and (scored.frequency_score >= 4 or scored.monetary_score >= 4)
                then 'sleeping'
            else 'general'
        end as value_tier
    from scored
    cross join medians
),

final as (
    select
        cast(tiered.customer_id as varchar) as customer_id,
        cast(tiered.as_of_date as date) as as_of_date,
        cast(tiered.first_order_date as date) as first_order_date,
        cast(tiered.last_order_date as date) as last_order_date,
        cast(tiered.recency_days as bigint) as recency_days,
        cast(tiered.frequency as bigint) as frequency,
        cast(tiered.monetary_reporting as decimal(18, 2)) as monetary_reporting,
        cast(tiered.recency_score as integer) as recency_score,
        cast(tiered.frequency_score as integer) as frequency_score,
        cast(tiered.monetary_score as integer) as monetary_score,
        cast(tiered.rfm_score as varchar) as rfm_score,
        cast(segment_map.rfm_segment as varchar) as rfm_segment,
        cast(tiered.frequency_spend_tier as varchar) as frequency_spend_tier,
        cast(tiered.buyer_type as varchar) as buyer_type,
        cast(tiered.value_tier as varchar) as value_tier,
        cast(value_tiers.value_tier_zh as varchar) as value_tier_zh,
        cast(value_tiers.value_tier_strategy as varchar) as value_tier_strategy
    from tiered
    left join segment_map
        on
            tiered.recency_score = segment_map.recency_score
            and tiered.frequency_score = segment_map.frequency_score
            and tiered.monetary_score = segment_map.monetary_score
    left join value_tiers on tiered.value_tier = value_tiers.value_tier
)

select * from final
