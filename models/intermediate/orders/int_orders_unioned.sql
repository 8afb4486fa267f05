-- Orders of every feed in one shape, one row per feed order. The web shop's copies of
-- marketplace orders are still here; int_orders_deduplicated merges them.
with

web_orders as (
    select * from {{ ref('stg_web_shop__orders') }}
),

app_orders as (
    select * from {{ ref('stg_app__orders') }}
),

pos_receipts as (
    select * from {{ ref('int_pos_receipts') }}
),

marketplace_orders as (
    select * from {{ ref('stg_marketplace__orders') }}
),

stores as (
    select * from {{ ref('stg_pos__stores') }}
),

unioned as (
    select
        'web_shop' as source_system,
        order_id as source_order_ref,
        'web_shop' as channel,
        'web' as channel_detail,
        ordered_at,
        order_status,
        currency_code,
        order_total_amount,
        order_total_reporting,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        member_id,
        cast(null as varchar) as app_user_id,
        cast(null as varchar) as loyalty_card,
        cast(null as varchar) as marketplace_buyer_id,
        utm_source,
        utm_campaign,
        ship_province as province,
        ship_city as city,
        cast(null as varchar) as store_id,
        external_order_ref
    from web_orders
    union all
    select
        'app' as source_system,
        order_id as source_order_ref,
        'app' as channel,
        platform as channel_detail,
        ordered_at,
        order_status,
        currency_code,
        order_total_amount,
        order_total_reporting,
        case when not is_placeholder_email then customer_email end as customer_email,
        case when not is_placeholder_phone then customer_phone end as customer_phone,
        member_id,
        app_user_id,
        cast(null as varchar) as loyalty_card,
        cast(null as varchar) as marketplace_buyer_id,
        cast(null as varchar) as utm_source,
        campaign_code as utm_campaign,
        cast(null as varchar) as province,
        cast(null as varchar) as city,
        cast(null as varchar) as store_id,
        cast(null as varchar) as external_order_ref
    from app_orders
    union all
    select
        'pos' as source_system,
        pos_receipts.order_id as source_order_ref,
        'store' as channel,
        pos_receipts.store_id as channel_detail,
        pos_receipts.ordered_at,
        'completed' as order_status,
        pos_receipts.currency_code,
        pos_receipts.order_total_amount,
        pos_receipts.order_total_reporting,
        cast(null as varchar) as customer_email,
        pos_receipts.customer_phone,
        cast(null as varchar) as member_id,
        cast(null as varchar) as app_user_id,
        pos_receipts.loyalty_card,
        cast(null as varchar) as marketplace_buyer_id,
        cast(null as varchar) as utm_source,
        cast(null as varchar) as utm_campaign,
        stores.province,
        stores.city,
        pos_receipts.store_id,
        cast(null as varchar) as external_order_ref
    from pos_receipts
    left join stores on pos_receipts.store_id = stores.store_id
    union all
    select
        platform as source_system,
        platform_order_no as source_order_ref,
        platform as channel,
        platform as channel_detail,
        ordered_at,
        order_status,
        currency_code,
        order_total_amount,
        order_total_reporting,
        cast(null as varchar) as customer_email,
        cast(null as varchar) as customer_phone,
        cast(null as varchar) as member_id,
        cast(null as varchar) as app_user_id,
        cast(null as varchar) as loyalty_card,
        buyer_id as marketplace_buyer_id,
        cast(null as varchar) as utm_source,
        cast(null as varchar) as utm_campaign,
        ship_province as province,
        ship_city as city,
        cast(null as varchar) as store_id,
        cast(null as varchar) as external_order_ref
    from marketplace_orders
),

final as (
    select
        source_system || ':' || source_order_ref as order_id,
        *,
        {{ utc_to_local('ordered_at', var('business_timezone')) }} as ordered_at_local,
        cast({{ utc_to_local('ordered_at', var('business_timezone')) }} as date) as order_date
    from unioned
)

select * from final
