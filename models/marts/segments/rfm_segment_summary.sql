-- One row per RFM segment (all 11, also when empty) as of the as-of date: customers,
-- their share, average recency, frequency and monetary value, the segment's share of net
-- revenue and the recommended action from the seed.
with

customer_rfm as (
    select * from {{ ref('customer_rfm') }}
),

segment_actions as (
    select * from {{ ref('rfm_segment_actions') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

segment_totals as (
    select
        rfm_segment,
        count(*) as customers,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary_reporting) as avg_monetary_reporting,
        sum(monetary_reporting) as monetary_reporting
    from customer_rfm
    group by rfm_segment
),

overall as (
    select
        count(*) as customers,
        sum(monetary_reporting) as monetary_reporting
    from customer_rfm
),

final as (
    select
        cast(segment_actions.rfm_segment as varchar) as rfm_segment,
        cast(segment_actions.segment_order as integer) as segment_order,
        cast(segment_actions.segment_name_zh as varchar) as segment_name_zh,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(coalesce(segment_totals.customers, 0) as bigint) as customers,
        cast(
            coalesce(segment_totals.customers, 0) * 1.0 / nullif(overall.customers, 0)
            as decimal(10, 4)
        ) as customer_share,
        cast(segment_totals.avg_recency_days as decimal(10, 2)) as avg_recency_days,
        cast(segment_totals.avg_frequency as decimal(10, 2)) as avg_frequency,
        cast(segment_totals.avg_monetary_reporting as decimal(18, 2))
            as avg_monetary_reporting,
        cast(coalesce(segment_totals.monetary_reporting, 0) as decimal(18, 2))
            as monetary_reporting,
        cast(
            coalesce(segment_totals.monetary_reporting, 0)
            / nullif(overall.monetary_reporting, 0)
            as decimal(10, 4)
        ) as revenue_share,
        cast(segment_actions.segment_description as varchar) as segment_description,
        cast(segment_actions.recommended_action as varchar) as recommended_action
    from segment_actions
    cross join as_of
    cross join overall
    left join segment_totals on segment_actions.rfm_segment = segment_totals.rfm_segment
)

select * from final
