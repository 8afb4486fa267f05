-- Every campaign send assigned (business date) up to the as-of date, resolved to its
-- customer, with what the recipient did by the as-of date (sent, opened, clicked,
-- redeemed) and the placed orders attributed to it: the customer's orders from the
-- assignment time to var `campaign_attribution_days` days later. The window starts at
-- the assignment so that the control group (assigned, never sent) is measured alike.
{%- set tz = var('business_timezone') %}
{%- set days = var('campaign_attribution_days') %}

with

sends as (
    select * from {{ ref('stg_marketing__sends') }}
),

identifiers as (
    select * from {{ ref('int_identifier_customers') }}
),

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

sends_as_of as (
    select
        sends.*,
        as_of.as_of_date,
        {{ dbt.dateadd('day', days, 'sends.assigned_at') }} as attribution_ends_at
    from sends
    cross join as_of
    where cast({{ utc_to_local('sends.assigned_at', tz) }} as date) <= as_of.as_of_date
),

-- The member id, else the email, else the phone names the customer (placeholders and
-- shared contacts name nobody), as for tickets and NPS answers.
resolved as (
    select
        sends_as_of.*,
        coalesce(members.customer_id, emails.customer_id, phones.customer_id) as customer_id
    from sends_as_of
    left join identifiers as members
        on
            members.identifier_type = 'crm_id'
            and sends_as_of.member_id = members.identifier_value
    left join identifiers as emails
        on
            emails.identifier_type = 'email'
            and not sends_as_of.is_placeholder_email
            and sends_as_of.recipient_email = emails.identifier_value
    left join identifiers as phones
        on
            phones.identifier_type = 'phone'
            and not sends_as_of.is_placeholder_phone
            and sends_as_of.recipient_phone = phones.identifier_value
),

-- Bounded: each send meets only its own customer's orders, within the window.
attributed as (
    select
        resolved.send_id,
        count(*) as attributed_order_count,
        sum(orders.net_total_reporting) as attributed_net_revenue_reporting
    from resolved
    inner join orders
        on
            resolved.customer_id = orders.customer_id
            and resolved.assigned_at <= orders.ordered_at
            and resolved.attribution_ends_at > orders.ordered_at
    group by resolved.send_id
),

final as (
    select
        resolved.send_id,
        resolved.campaign_id,
        resolved.campaign_name,
        resolved.channel,
        resolved.variant,
        resolved.is_control,
        resolved.customer_id,
        resolved.assigned_at,
        cast({{ utc_to_local('resolved.assigned_at', tz) }} as date) as assigned_date,
        coalesce(
            cast({{ utc_to_local('resolved.sent_at', tz) }} as date) <= resolved.as_of_date,
            false
        ) as is_sent,
        coalesce(
            cast({{ utc_to_local('resolved.opened_at', tz) }} as date) <= resolved.as_of_date,
            false
        ) as is_opened,
        coalesce(
            cast({{ utc_to_local('resolved.clicked_at', tz) }} as date) <= resolved.as_of_date,
            false
        ) as is_clicked,
        coalesce(
            cast({{ utc_to_local('resolved.redeemed_at', tz) }} as date) <= resolved.as_of_date,
            false
        ) as is_redeemed,
        coalesce(attributed.attributed_order_count, 0) > 0 as has_converted,
        coalesce(attributed.attributed_order_count, 0) as attributed_order_count,
        coalesce(attributed.attributed_net_revenue_reporting, 0)
            as attributed_net_revenue_reporting,
        cast({{ utc_to_local('resolved.attribution_ends_at', tz) }} as date)
        <= resolved.as_of_date as is_attribution_complete
    from resolved
    left join attributed on resolved.send_id = attributed.send_id
)

select * from final
