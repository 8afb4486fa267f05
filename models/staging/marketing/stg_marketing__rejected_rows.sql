-- Quarantine of the marketing feed: every rejected raw row with its reason code and the
-- raw values as received, for the data owner to fix at the source.
with

sends as (
    select * from {{ ref('base_marketing__sends') }}
    where row_status = 'rejected'
),

final as (
    select
        'marketing.sends' as source_name,
        reject_reason,
        send_id as record_key,
        {{ raw_record_json(['send_id', 'campaign_id', 'channel', 'variant', 'member_id',
            'assigned_at', 'sent_at']) }} as raw_record,
        _source_file as source_file
    from sends
)

select * from final
