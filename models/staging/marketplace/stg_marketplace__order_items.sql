-- Items (sub-orders) of kept marketplace orders; amounts in CNY.
with

triaged as (
    select * from {{ ref('base_marketplace__order_items') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_platform || '-' || parsed_sub_order_no as order_line_id,
        parsed_platform || '-' || parsed_platform_order_no as order_id,
        parsed_platform as platform,
        parsed_platform_order_no as platform_order_no,
        parsed_sub_order_no as sub_order_no,
        parsed_sku as sku,
        parsed_quantity as quantity,
        unit_price_amount,
        cast(parsed_quantity * unit_price_amount as decimal(18, 2)) as line_amount,
        _source_file as source_file
    from triaged
)

select * from final
