-- Web-shop orders, one row per order: the newest valid version of each.
with

triaged as (
    select * from {{ ref('base_web_shop__orders') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_order_id as order_id,
        ordered_at,
        parsed_updated_at as updated_at,
        parsed_email as customer_email,
        coalesce(parsed_email in {{ sql_list(var('placeholder_emails')) }}, false)
            as is_placeholder_email,
        parsed_phone as customer_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        nullif(trim(member_id), '') as member_id,
        currency_code,
        order_total_amount,
        shipping_fee_amount,
        discount_amount,
        cast(order_total_amount * rate_to_reporting as decimal(18, 2)) as order_total_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency,
        trim(status) as source_status,
        order_status,
        nullif(trim(external_order_ref), '') as external_order_ref,
        nullif(trim(utm_source), '') as utm_source,
        nullif(trim(utm_campaign), '') as utm_campaign,
        nullif(trim(ship_province), '') as ship_province,
        nullif(trim(ship_city), '') as ship_city,
        _source_file as source_file
    from triaged
)

select * from final
