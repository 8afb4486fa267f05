-- Every raw service-ticket row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'ticket_id', 'source_system', 'order_ref', 'member_id', 'customer_phone',
    'customer_email', 'channel', 'reason', 'opened_at', 'resolved_at', 'satisfaction',
] %}

with

source as (
    select * from {{ source('after_sales', 'tickets') }}
),

parsed as (
    select
        *,
        nullif(trim(ticket_id), '') as parsed_ticket_id,
        {{ parse_timestamp_utc('opened_at') }} as parsed_opened_at
    from source
),

validated as (
    select
        *,
        case
            when parsed_ticket_id is null then 'missing_key'
            when parsed_opened_at is null then 'unparseable_timestamp'
            when cast(parsed_opened_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when {{ is_unknown_value('after_sales', 'tickets', 'source_system') }}
                then 'unknown_source_system'
            when {{ is_unknown_value('after_sales', 'tickets', 'channel') }}
                then 'unknown_channel'
            when {{ is_unknown_value('after_sales', 'tickets', 'reason') }}
                then 'unknown_reason'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_ticket_id'],
    ) | indent(4) }}
)

select * from triaged
