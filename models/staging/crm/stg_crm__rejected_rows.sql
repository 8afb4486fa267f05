-- Quarantine of the CRM feed: every rejected raw row with its reason code and the raw
-- values as received, for the data owner to fix at the source.
with

customers as (
    select * from {{ ref('base_crm__customers') }}
    where row_status = 'rejected'
),

final as (
    select
        'crm.customers' as source_name,
        reject_reason,
        customer_id as record_key,
        {{ raw_record_json(['customer_id', 'email', 'phone', 'loyalty_card_no', 'birthday',
            'signup_date', 'opted_out_at', 'updated_at']) }} as raw_record,
        _source_file as source_file
    from customers
)

select * from final
