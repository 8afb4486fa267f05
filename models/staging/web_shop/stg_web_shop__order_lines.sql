-- Web-shop order lines of kept orders; amounts in the order's currency (see
-- stg_web_shop__orders.currency_code).
with

triaged as (
    select * from {{ ref('base_web_shop__order_lines') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_order_id || '-' || cast(parsed_line_number as varchar) as order_line_id,
        parsed_order_id as order_id,
        parsed_line_number as line_number,
        parsed_sku as sku,
        parsed_quantity as quantity,
        unit_price_amount,
        cast(parsed_quantity * unit_price_amount as decimal(18, 2)) as line_amount,
        _source_file as source_file
    from triaged
)

select * from final
