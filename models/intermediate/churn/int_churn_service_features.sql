-- After-sales and survey features of every customer at each churn feature date, from
-- what is dated on or before that date only: returns (by request date), service tickets
-- (by opening date) and the latest NPS answer. Two feature dates: bounded at 2x rows.
with

returns as (
    select * from {{ ref('int_returns_counted') }}
),

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

feedback as (
    select * from {{ ref('int_feedback_resolved') }}
    where customer_id is not null
),

feature_dates as (
    select * from {{ ref('int_churn_feature_dates') }}
),

returned_orders as (
    select
        feature_dates.feature_date,
        orders.customer_id,
        count(distinct returns.order_id) as returned_order_count
    from returns
    inner join orders
        on returns.order_id = orders.order_id
    inner join feature_dates
        on returns.requested_date <= feature_dates.feature_date
    group by feature_dates.feature_date, orders.customer_id
),

feedback_history as (
    select
        feature_dates.feature_date,
        feedback.customer_id,
        feedback.feedback_type,
        feedback.feedback_at,
        feedback.score,
        {{ dbt.datediff('feedback.feedback_date', 'feature_dates.feature_date', 'day') }}
            as days_before,
        row_number() over (
            partition by feature_dates.feature_date, feedback.customer_id, feedback.feedback_type
            order by feedback.feedback_at desc, feedback.feedback_id desc
        ) as recency_rank
    from feedback
    inner join feature_dates
        on feedback.feedback_date <= feature_dates.feature_date
),

feedback_summary as (
    select
        feature_date,
        customer_id,
        sum(case when feedback_type = 'ticket' then 1 else 0 end) as ticket_count,
        sum(case when feedback_type = 'ticket' and days_before < 90 then 1 else 0 end)
            as tickets_last_90d,
        max(case when feedback_type = 'nps' and recency_rank = 1 then score end)
            as last_nps_score,
        max(case when feedback_type = 'nps' and recency_rank = 1 then days_before end)
            as days_since_last_nps
    from feedback_history
    group by feature_date, customer_id
),

customer_dates as (
    select
        feature_date,
        customer_id
    from returned_orders
    union
    select
        feature_date,
        customer_id
    from feedback_summary
),

final as (
    select
        customer_dates.feature_date,
        customer_dates.customer_id,
        coalesce(returned_orders.returned_order_count, 0) as returned_order_count,
        coalesce(feedback_summary.ticket_count, 0) as ticket_count,
        coalesce(feedback_summary.tickets_last_90d, 0) as tickets_last_90d,
        feedback_summary.last_nps_score,
        feedback_summary.days_since_last_nps
    from customer_dates
    left join returned_orders
        on
            customer_dates.feature_date = returned_orders.feature_date
            and customer_dates.customer_id = returned_orders.customer_id
    left join feedback_summary
        on
            customer_dates.feature_date = feedback_summary.feature_date
            and customer_dates.customer_id = feedback_summary.customer_id
)

select * from final
