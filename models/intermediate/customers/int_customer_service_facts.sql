-- Service tickets and NPS answers of every customer up to the as-of date (business date
-- of opening / answering). A ticket or answer belongs to the customer of the order it
-- names; else to the customer of its CRM member id, else of its email, else of its phone
-- (placeholder and shared contacts name nobody).
with

tickets as (
    select * from {{ ref('stg_after_sales__tickets') }}
),

nps_responses as (
    select * from {{ ref('stg_surveys__nps_responses') }}
),

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where customer_id is not null
),

identifiers as (
    select * from {{ ref('int_identifier_customers') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

feedback as (
    select
        'ticket' as feedback_type,
        ticket_id as feedback_id,
        source_system || ':' || order_ref as order_id,
        member_id,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        opened_at as feedback_at,
        cast(null as integer) as score
    from tickets
    union all
    select
        'nps' as feedback_type,
        response_id as feedback_id,
        touchpoint || ':' || order_ref as order_id,
        member_id,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        responded_at as feedback_at,
        score
    from nps_responses
),

feedback_as_of as (
    select feedback.*
    from feedback
    cross join as_of
    where
        cast({{ utc_to_local('feedback.feedback_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
),

matched as (
    select
        feedback_as_of.feedback_type,
        feedback_as_of.feedback_id,
        feedback_as_of.feedback_at,
        feedback_as_of.score,
        coalesce(
            orders.customer_id,
            members.customer_id,
            emails.customer_id,
            phones.customer_id
        ) as customer_id
    from feedback_as_of
    left join orders on feedback_as_of.order_id = orders.order_id
    left join identifiers as members
        on
            members.identifier_type = 'crm_id'
            and feedback_as_of.member_id = members.identifier_value
    left join identifiers as emails
        on
            emails.identifier_type = 'email'
            and feedback_as_of.customer_email = emails.identifier_value
    left join identifiers as phones
        on
            phones.identifier_type = 'phone'
            and feedback_as_of.customer_phone = phones.identifier_value
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
    from matched
    where feedback_type = 'nps'
),

ticket_counts as (
    select
        customer_id,
        count(*) as ticket_count
    from matched
    where feedback_type = 'ticket'
    group by customer_id
),

customers as (
    select distinct customer_id from matched
    where customer_id is not null
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
