-- Every raw behaviour event, validated and triaged (kept / duplicate / rejected).
-- Incremental (see triage_raw_export): a build reads only new and changed files. Kept
-- lean (no joins, few parsed columns): this feed is by far the largest.

{%- set raw_columns = [
    'event_id', 'event_ms', 'platform', 'session_id', 'anonymous_id', 'member_id',
    'event_type', 'sku', 'utm_source', 'utm_campaign',
] %}
{%- set key_columns = ['parsed_event_id'] %}

{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='retriage',
    unique_key=key_columns,
    on_schema_change='sync_all_columns',
) }}

{%- set transform_sql %}
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
)
{%- endset %}

{{ triage_raw_export(
    source_name='events',
    table_name='behaviour_events',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
) }}
