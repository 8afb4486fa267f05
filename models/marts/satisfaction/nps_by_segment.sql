-- NPS by customer segment over the trailing window up to the as-of date, as a long table:
-- one row per segment type (RFM segment, value tier, buyer type, lifecycle stage) and
-- segment, with the customers' segment as of the as-of date.
with

feedback as (
    select * from {{ ref('int_feedback_resolved') }}
    where feedback_type = 'nps' and customer_id is not null
),

rfm as (
    select * from {{ ref('customer_rfm') }}
),

lifecycle as (
    select * from {{ ref('customer_lifecycle') }}
),

window_dates as (
    select * from {{ ref('int_satisfaction_window') }}
),

answers as (
    select
        feedback.customer_id,
        feedback.score
    from feedback
    inner join window_dates
        on feedback.feedback_date >= window_dates.window_start_date
),

customer_segments as (
    select
        customer_id,
        'rfm_segment' as segment_type,
        rfm_segment as segment
    from rfm
    union all
    select
        customer_id,
        'value_tier' as segment_type,
        value_tier as segment
    from rfm
    union all
    select
        customer_id,
        'buyer_type' as segment_type,
        buyer_type as segment
    from rfm
    union all
    select
        customer_id,
        'lifecycle_stage' as segment_type,
        lifecycle_stage as segment
    from lifecycle
),

segment_types as (
    select distinct segment_type from customer_segments
),

population as (
    select
        segment_type,
        segment,
        count(*) as segment_customers
    from customer_segments
    group by segment_type, segment
),

-- Every answer once per segment type (four rows per answer, bounded); a respondent in no
-- segment of that type (no placed order) is `unsegmented`.
answer_segments as (
    select
        segment_types.segment_type,
        coalesce(customer_segments.segment, 'unsegmented') as segment,
        answers.customer_id,
        answers.score
    from answers
    cross join segment_types
    left join customer_segments
        on
            answers.customer_id = customer_segments.customer_id
            and segment_types.segment_type = customer_segments.segment_type
),

counted as (
    select
        segment_type,
        segment,
        count(distinct customer_id) as respondents,
        {{ nps_counts('score') }}
    from answer_segments
    group by segment_type, segment
),

final as (
    select
        cast(coalesce(population.segment_type, counted.segment_type) as varchar)
            as segment_type,
        cast(coalesce(population.segment, counted.segment) as varchar) as segment,
        cast(population.segment_customers as bigint) as segment_customers,
        cast(coalesce(counted.respondents, 0) as bigint) as respondents,
        cast(
            coalesce(counted.respondents, 0) * 1.0 / population.segment_customers
            as decimal(10, 4)
        )
            as respondent_share,
        cast(coalesce(counted.responses, 0) as bigint) as responses,
        cast(coalesce(counted.promoters, 0) as bigint) as promoters,
        cast(coalesce(counted.passives, 0) as bigint) as passives,
        cast(coalesce(counted.detractors, 0) as bigint) as detractors,
        cast(
            {{ nps_score('counted.promoters', 'counted.detractors', 'counted.responses') }}
            as decimal(5, 2)
        ) as nps,
        cast(window_dates.window_start_date as date) as window_start_date,
        cast(window_dates.as_of_date as date) as as_of_date
    from population
    full outer join counted
        on
            population.segment_type = counted.segment_type
            and population.segment = counted.segment
    cross join window_dates
)

select * from final
