-- Tmall and JD orders, one row per platform order: the newest valid version of each.
with

triaged as (
    select * from {{ ref('base_marketplace__orders') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_platform || '-' || parsed_platform_order_no as order_id,
        parsed_platform as platform,
        parsed_platform_order_no as platform_order_no,
        nullif(trim(buyer_id), '') as buyer_id,
        ordered_at,
        parsed_modified_at as updated_at,
        currency_code,
        order_total_amount,
        shipping_fee_amount,
        discount_amount,
        cast(order_total_amount * rate_to_reporting as decimal(18, 2)) as order_total_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency,
        trim(order_status) as source_status,
        parsed_order_status as order_status,
        nullif(trim(receiver_province), '') as ship_province,
        nullif(trim(receiver_city), '') as ship_city,
        _source_file as source_file
    from triaged
)

select * from final
