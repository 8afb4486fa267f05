-- App order items of kept orders; amounts in CNY (the app's only currency).
with

triaged as (
    select * from {{ ref('base_app__order_items') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_order_id || '-' || cast(item_id as varchar) as order_line_id,
        parsed_order_id as order_id,
        item_id as line_number,
        parsed_sku as sku,
        qty as quantity,
        unit_price_amount,
        cast(qty * unit_price_amount as decimal(18, 2)) as line_amount,
        _source_file as source_file
    from triaged
)

select * from final
