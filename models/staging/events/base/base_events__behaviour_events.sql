-- Every raw behaviour event, validated and triaged (kept / duplicate / rejected). A
-- table: the kept rows, the rejects and the data-quality counts read it. Kept lean (no
-- joins, few parsed columns): this feed is by far the largest.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'event_id', 'event_ms', 'platform', 'session_id', 'anonymous_id', 'member_id',
    'event_type', 'sku', 'utm_source', 'utm_campaign',
] %}

with

source as (
    select * from {{ source('events', 'behaviour_events') }}
),

parsed as (
    select
        *,
        nullif(trim(event_id), '') as parsed_event_id,
        {{ epoch_ms_to_utc('event_ms') }} as event_at
    from source
),

validated as (
    select
        *,
        case
            when parsed_event_id is null then 'missing_key'
            when event_at is null then 'unparseable_timestamp'
            when cast(event_at as date) > {{ latest_valid_date() }} then 'future_timestamp'
            when {{ is_unknown_value('events', 'behaviour_events', 'platform') }}
                then 'unknown_platform'
            when {{ is_unknown_value('events', 'behaviour_events', 'event_type') }}
                then 'unknown_event_type'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_event_id'],
    ) | indent(4) }}
)

select * from triaged
