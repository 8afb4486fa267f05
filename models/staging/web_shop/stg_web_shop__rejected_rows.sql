-- Quarantine of the web-shop feed: every rejected raw row with its reason code and the
-- raw values as received, for the data owner to fix at the source.
with

orders as (
    select * from {{ ref('base_web_shop__orders') }}
    where row_status = 'rejected'
),

order_lines as (
    select * from {{ ref('base_web_shop__order_lines') }}
    where row_status = 'rejected'
),

final as (
    select
        'web_shop.orders' as source_name,
        reject_reason,
        order_id as record_key,
        {{ raw_record_json(['order_id', 'created_at', 'updated_at', 'currency', 'order_total',
            'shipping_fee', 'discount_total', 'status', 'customer_email']) }} as raw_record,
        _source_file as source_file
    from orders
    union all
    select
        'web_shop.order_lines' as source_name,
        reject_reason,
        order_id || '-' || line_number as record_key,
        {{ raw_record_json(['order_id', 'line_number', 'sku', 'quantity', 'unit_price']) }}
            as raw_record,
        _source_file as source_file
    from order_lines
)

select * from final
