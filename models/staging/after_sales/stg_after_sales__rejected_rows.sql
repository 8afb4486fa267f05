-- Quarantine of the after-sales feed: every rejected raw row with its reason code and
-- the raw values as received, for the data owner to fix at the source.
with

returns as (
    select * from {{ ref('base_after_sales__returns') }}
    where row_status = 'rejected'
),

tickets as (
    select * from {{ ref('base_after_sales__tickets') }}
    where row_status = 'rejected'
),

final as (
    select
        'after_sales.returns' as source_name,
        reject_reason,
        return_id as record_key,
        {{ raw_record_json(['return_id', 'source_system', 'order_ref', 'sku', 'quantity',
            'refund_amount', 'currency', 'return_type', 'requested_at', 'status']) }}
            as raw_record,
        _source_file as source_file
    from returns
    union all
    select
        'after_sales.tickets' as source_name,
        reject_reason,
        ticket_id as record_key,
        {{ raw_record_json(['ticket_id', 'source_system', 'order_ref', 'member_id',
            'channel', 'reason', 'opened_at', 'resolved_at', 'satisfaction']) }}
            as raw_record,
        _source_file as source_file
    from tickets
)

select * from final
