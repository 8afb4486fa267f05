-- Quarantine of the behaviour-event feed: every rejected raw row with its reason code
-- and the raw values as received, for the data owner to fix at the source.
with

behaviour_events as (
    select * from {{ ref('base_events__behaviour_events') }}
    where row_status = 'rejected'
),

final as (
    select
        'events.behaviour_events' as source_name,
        reject_reason,
        event_id as record_key,
        {{ raw_record_json(['event_id', 'event_ms', 'platform', 'session_id',
            'anonymous_id', 'member_id', 'event_type', 'sku']) }} as raw_record,
        _source_file as source_file
    from behaviour_events
)

select * from final
