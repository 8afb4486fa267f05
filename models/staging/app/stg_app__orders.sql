-- App and mini-program orders, one row per order: the newest valid version of each.
with

triaged as (
    select * from {{ ref('base_app__orders') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_order_id as order_id,
        nullif(trim(user_id), '') as app_user_id,
        nullif(trim(member_id), '') as member_id,
        ordered_at,
        parsed_updated_at as updated_at,
        parsed_email as customer_email,
        coalesce(parsed_email in {{ sql_list(var('placeholder_emails')) }}, false)
            as is_placeholder_email,
        parsed_phone as customer_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        nullif(lower(trim(platform)), '') as platform,
        currency_code,
        order_total_amount,
        shipping_fee_amount,
        discount_amount,
        cast(order_total_amount * rate_to_reporting as decimal(18, 2)) as order_total_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency,
        cast(status as varchar) as source_status,
        order_status,
        nullif(trim(campaign_code), '') as campaign_code,
        _source_file as source_file
    from triaged
)

select * from final
