-- Every raw NPS response row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'response_id', 'member_id', 'email', 'phone', 'touchpoint', 'order_ref',
    'responded_at', 'score', 'comment',
] %}

with

source as (
    select * from {{ source('surveys', 'nps_responses') }}
),

parsed as (
    select
        *,
        nullif(trim(response_id), '') as parsed_response_id,
        {{ parse_timestamp_utc('responded_at') }} as parsed_responded_at,
        {{ parse_whole_number('score') }} as parsed_score
    from source
),

validated as (
    select
        *,
        case
            when parsed_response_id is null then 'missing_key'
            when parsed_responded_at is null then 'unparseable_timestamp'
            when cast(parsed_responded_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when parsed_score is null or parsed_score not between 0 and 10 then 'invalid_score'
            when {{ is_unknown_value('surveys', 'nps_responses', 'touchpoint') }}
                then 'unknown_touchpoint'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_response_id'],
    ) | indent(4) }}
)

select * from triaged
