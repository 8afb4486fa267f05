-- NPS by top-level product category over the trailing window up to the as-of date: an
-- answer that names an order counts once in each top-level category of that order's lines.
with

feedback as (
    select * from {{ ref('int_feedback_resolved') }}
    where feedback_type = 'nps' and order_id is not null
),

order_items as (
    select * from {{ ref('fct_order_items') }}
),

window_dates as (
    select * from {{ ref('int_satisfaction_window') }}
),

answers as (
    select
        feedback.feedback_id,
        feedback.order_id,
        feedback.score
    from feedback
    inner join window_dates
        on feedback.feedback_date >= window_dates.window_start_date
),

answered_orders as (
    select distinct order_id from answers
),

-- Only the lines of answered orders are read (a semi-join, not all lines).
order_categories as (
    select distinct
        order_items.order_id,
        order_items.category_id,
        order_items.category_name_zh,
        order_items.category_name_en
    from order_items
    inner join answered_orders on order_items.order_id = answered_orders.order_id
    where order_items.category_id is not null
),

counted as (
    select
        order_categories.category_id,
        order_categories.category_name_zh,
        order_categories.category_name_en,
        count(distinct answers.order_id) as orders,
        {{ nps_counts('answers.score') }}
    from answers
    inner join order_categories on answers.order_id = order_categories.order_id
    group by
        order_categories.category_id,
        order_categories.category_name_zh,
        order_categories.category_name_en
),

final as (
    select
        cast(counted.category_id as varchar) as category_id,
        cast(counted.category_name_zh as varchar) as category_name_zh,
        cast(counted.category_name_en as varchar) as category_name_en,
        cast(counted.orders as bigint) as orders,
        cast(counted.responses as bigint) as responses,
        cast(counted.promoters as bigint) as promoters,
        cast(counted.passives as bigint) as passives,
        cast(counted.detractors as bigint) as detractors,
        cast(
            {{ nps_score('counted.promoters', 'counted.detractors', 'counted.responses') }}
            as decimal(5, 2)
        ) as nps,
        cast(window_dates.window_start_date as date) as window_start_date,
        cast(window_dates.as_of_date as date) as as_of_date
    from counted
    cross join window_dates
)

select * from final
