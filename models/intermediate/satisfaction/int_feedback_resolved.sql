-- Service tickets and NPS answers up to the as-of date (business date of opening /
-- answering), each with the order it names and the customer it belongs to: the customer
-- of that order; else of its CRM member id, else of its email, else of its phone
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
        source_system,
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
        touchpoint as source_system,
        touchpoint || ':' || order_ref as order_id,
        member_id,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        responded_at as feedback_at,
        score
    from nps_responses
),

feedback_as_of as (
    select
        feedback.*,
        cast({{ utc_to_local('feedback.feedback_at', var('business_timezone')) }} as date)
            as feedback_date
    from feedback
    cross join as_of
    where
        cast({{ utc_to_local('feedback.feedback_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
),

final as (
    select
        feedback_as_of.feedback_type,
        feedback_as_of.feedback_id,
        feedback_as_of.source_system,
        orders.order_id,
        coalesce(
            orders.customer_id,
            members.customer_id,
            emails.customer_id,
            phones.customer_id
        ) as customer_id,
        case
            when orders.customer_id is not null then 'order'
            when members.customer_id is not null then 'member_id'
            when emails.customer_id is not null then 'email'
            when phones.customer_id is not null then 'phone'
        end as customer_match_method,
        feedback_as_of.feedback_at,
        feedback_as_of.feedback_date,
        feedback_as_of.score
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
)

select * from final
