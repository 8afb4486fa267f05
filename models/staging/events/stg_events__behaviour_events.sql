-- Web and app behaviour events, one row per event id (SDK retries removed); times UTC.
with

triaged as (
    select * from {{ ref('base_events__behaviour_events') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_event_id as event_id,
        event_at,
        lower(nullif(trim(platform), '')) as platform,
        nullif(trim(session_id), '') as session_id,
        nullif(trim(anonymous_id), '') as anonymous_id,
        nullif(trim(member_id), '') as member_id,
        lower(nullif(trim(event_type), '')) as event_type,
        nullif(trim(sku), '') as sku,
        nullif(trim(utm_source), '') as utm_source,
        nullif(trim(utm_campaign), '') as utm_campaign,
        _source_file as source_file
    from triaged
)

select * from final
