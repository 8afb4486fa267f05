-- Quarantine of the survey feed: every rejected raw row with its reason code and the
-- raw values as received, for the data owner to fix at the source.
with

nps_responses as (
    select * from {{ ref('base_surveys__nps_responses') }}
    where row_status = 'rejected'
),

final as (
    select
        'surveys.nps_responses' as source_name,
        reject_reason,
        response_id as record_key,
        {{ raw_record_json(['response_id', 'member_id', 'touchpoint', 'order_ref',
            'responded_at', 'score']) }} as raw_record,
        _source_file as source_file
    from nps_responses
)

select * from final
