-- Web and app behaviour events up to the as-of date, each with the customer it belongs
-- to. A logged-in event names its CRM member; an anonymous event is stitched to the
-- customer of its device (anonymous id) when that device logged in as exactly one
-- customer. Devices shared by several customers stitch nobody.
with

events as (
    select * from {{ ref('stg_events__behaviour_events') }}
),

members as (
    select * from {{ ref('int_identifier_customers') }}
    where identifier_type = 'crm_id'
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

events_as_of as (
    select
        events.*,
        {{ utc_to_local('events.event_at', var('business_timezone')) }} as event_at_local
    from events
    cross join as_of
    where
        cast({{ utc_to_local('events.event_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
),

member_events as (
    select
        events_as_of.*,
        members.customer_id as member_customer_id
    from events_as_of
    left join members on events_as_of.member_id = members.identifier_value
),

devices as (
    select
        anonymous_id,
        min(member_customer_id) as customer_id
    from member_events
    where member_customer_id is not null
    group by anonymous_id
    having count(distinct member_customer_id) = 1
),

final as (
    select
        member_events.event_id,
        member_events.event_at,
        member_events.event_at_local,
        cast(member_events.event_at_local as date) as event_date,
        member_events.platform,
        case when member_events.platform = 'web' then 'web_shop' else 'app' end as channel,
        member_events.session_id,
        member_events.anonymous_id,
        member_events.event_type,
        member_events.sku,
        products.category_id,
        coalesce(categories.parent_category_id, categories.category_id) as top_category_id,
        member_events.utm_source,
        member_events.utm_campaign,
        coalesce(member_events.member_customer_id, devices.customer_id) as customer_id,
        case
            when member_events.member_customer_id is not null then 'member_id'
            when devices.customer_id is not null then 'device'
        end as customer_match_method
    from member_events
    left join devices on member_events.anonymous_id = devices.anonymous_id
    left join products on member_events.sku = products.sku
    left join categories on products.category_id = categories.category_id
)

select * from final
