-- Quarantine of the POS feed: every rejected raw row with its reason code and the raw
-- values as received, for the data owner to fix at the source.
with

sales as (
    select * from {{ ref('base_pos__sales') }}
    where row_status = 'rejected'
),

stores as (
    select * from {{ ref('base_pos__stores') }}
    where row_status = 'rejected'
),

final as (
    select
        'pos.sales' as source_name,
        reject_reason,
        coalesce(store_id, '') || '-' || coalesce(receipt_no, '') || '-'
        || coalesce(line_no, '') as record_key,
        {{ raw_record_json(['store_id', 'receipt_no', 'line_no', 'sold_at', 'sku', 'quantity',
            'unit_price', 'line_amount']) }} as raw_record,
        _source_file as source_file
    from sales
    union all
    select
        'pos.stores' as source_name,
        reject_reason,
        store_id as record_key,
        {{ raw_record_json(['store_id', 'store_name', 'province', 'city', 'opened_on']) }}
            as raw_record,
        _source_file as source_file
    from stores
)

select * from final
