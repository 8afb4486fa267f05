-- Quarantine of the marketplace feed: every rejected raw row with its reason code and
-- the raw values as received, for the data owner to fix at the source.
with

orders as (
    select * from {{ ref('base_marketplace__orders') }}
    where row_status = 'rejected'
),

order_items as (
    select * from {{ ref('base_marketplace__order_items') }}
    where row_status = 'rejected'
),

final as (
    select
        'marketplace.orders' as source_name,
        reject_reason,
        coalesce(platform, '') || '-' || coalesce(platform_order_no, '') as record_key,
        {{ raw_record_json(['platform', 'platform_order_no', 'order_status', 'created_time',
            'modified_time', 'total_amount', 'post_fee', 'discount_fee']) }} as raw_record,
        _source_file as source_file
    from orders
    union all
    select
        'marketplace.order_items' as source_name,
        reject_reason,
        coalesce(platform, '') || '-' || coalesce(sub_order_no, '') as record_key,
        {{ raw_record_json(['platform', 'platform_order_no', 'sub_order_no', 'sku', 'quantity',
            'price']) }} as raw_record,
        _source_file as source_file
    from order_items
)

select * from final
