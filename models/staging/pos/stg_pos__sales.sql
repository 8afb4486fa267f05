-- Store POS sales, one row per kept receipt line; a receipt is an order
-- (`order_id` = store id - receipt number, the `order_ref` of after-sales files).
with

triaged as (
    select * from {{ ref('base_pos__sales') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_store_id || '-' || parsed_receipt_no || '-'
        || cast(parsed_line_number as varchar) as order_line_id,
        parsed_store_id || '-' || parsed_receipt_no as order_id,
        parsed_store_id as store_id,
        parsed_receipt_no as receipt_no,
        parsed_line_number as line_number,
        parsed_sold_at as sold_at,
        nullif(trim(loyalty_card), '') as loyalty_card,
        parsed_phone as customer_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        parsed_sku as sku,
        parsed_quantity as quantity,
        currency_code,
        unit_price_amount,
        coalesce(
            parsed_line_amount,
            cast(parsed_quantity * unit_price_amount as decimal(18, 2))
        ) as line_amount,
        cast(
            coalesce(parsed_line_amount, parsed_quantity * unit_price_amount)
            * rate_to_reporting as decimal(18, 2)
        ) as line_amount_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency,
        nullif(lower(trim(payment_method)), '') as payment_method,
        _source_file as source_file
    from triaged
)

select * from final
