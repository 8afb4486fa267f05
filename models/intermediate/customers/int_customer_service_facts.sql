-- Service tickets and NPS answers of every customer up to the as-of date (business date
-- of opening / answering), as matched to customers in int_feedback_resolved.
with

feedback as (
    select * from {{ ref('int_feedback_resolved') }}
    where customer_id is not null
),

latest_nps as (
    select
        customer_id,
        score,
        feedback_at,
        row_number() over (
            partition by customer_id
            order by feedback_at desc, feedback_id desc
        ) as response_rank
    from feedback
    where feedback_type = 'nps'
),

ticket_counts as (
    select
        customer_id,
        count(*) as ticket_count
    from feedback
    where feedback_type = 'ticket'
    group by customer_id
),

customers as (
    select distinct customer_id from feedback
),

final as (
    select
        customers.customer_id,
        coalesce(ticket_counts.ticket_count, 0) as ticket_count,
        latest_nps.score as last_nps_score,
        latest_nps.feedback_at as last_nps_at
    from customers
    left join ticket_counts on customers.customer_id = ticket_counts.customer_id
    left join latest_nps
        on
            customers.customer_id = latest_nps.customer_id
            and latest_nps.response_rank = 1
)

select * from final
