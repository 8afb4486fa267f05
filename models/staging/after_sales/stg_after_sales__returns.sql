-- Returns and exchanges, one row per return id; refunds in the refund's currency and in
-- the reporting currency at the rate of the request month.
with

triaged as (
    select * from {{ ref('base_after_sales__returns') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_return_id as return_id,
        lower(nullif(trim(source_system), '')) as source_system,
        nullif(trim(order_ref), '') as order_ref,
        nullif(trim(sku), '') as sku,
        parsed_quantity as quantity,
        lower(nullif(trim(return_type), '')) as return_type,
        coalesce(lower(trim(return_type)) = 'exchange', false) as is_exchange,
        lower(nullif(trim(reason), '')) as return_reason,
        nullif(trim(batch_no), '') as batch_no,
        parsed_requested_at as requested_at,
        lower(nullif(trim(status), '')) as return_status,
        currency_code,
        parsed_refund_amount as refund_amount,
        cast(parsed_refund_amount * rate_to_reporting as decimal(18, 2)) as refund_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency,
        _source_file as source_file
    from triaged
)

select * from final
