-- Quarantine of the app feed: every rejected raw row with its reason code and the raw
-- values as received, for the data owner to fix at the source.
with

orders as (
    select * from {{ ref('base_app__orders') }}
    where row_status = 'rejected'
),

order_items as (
    select * from {{ ref('base_app__order_items') }}
    where row_status = 'rejected'
),

final as (
    select
        'app.orders' as source_name,
        reject_reason,
        order_id as record_key,
        {{ raw_record_json(['order_id', 'user_id', 'created_ms', 'updated_ms', 'status',
            'pay_amount_fen', 'freight_fen', 'discount_fen', 'platform']) }} as raw_record,
        _source_file as source_file
    from orders
    union all
    select
        'app.order_items' as source_name,
        reject_reason,
        coalesce(order_id, '') || '-' || coalesce(cast(item_id as varchar), '') as record_key,
        {{ raw_record_json(['order_id', 'item_id', 'sku', 'qty', 'price_fen']) }}
            as raw_record,
        _source_file as source_file
    from order_items
)

select * from final
