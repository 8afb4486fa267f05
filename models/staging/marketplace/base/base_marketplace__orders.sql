-- Every raw marketplace order row (one per status change), parsed, validated and triaged
-- (kept / duplicate / rejected). Incremental (see triage_raw_export): a build reads only
-- new and changed files.

{%- set raw_columns = [
    'platform', 'platform_order_no', 'buyer_id', 'receiver_phone_masked', 'order_status',
    'created_time', 'modified_time', 'total_amount', 'post_fee', 'discount_fee',
    'receiver_province', 'receiver_city',
] %}
{%- set formats = ['%Y-%m-%d %H:%M:%S'] %}
{%- set key_columns = ['parsed_platform', 'parsed_platform_order_no'] %}

{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='retriage',
    unique_key=key_columns,
    on_schema_change='sync_all_columns',
) }}

{%- set transform_sql %}
exchange_rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

status_map as (
    select * from {{ ref('stg_reference__order_status_map') }}
),

parsed as (
    select
        source.*,
        nullif(lower(trim(source.platform)), '') as parsed_platform,
        nullif(trim(source.platform_order_no), '') as parsed_platform_order_no,
        {{ local_to_utc(
            parse_local_timestamp('source.created_time', formats),
            var('marketplace_timezone'),
        ) }} as ordered_at,
        {{ local_to_utc(
            parse_local_timestamp('source.modified_time', formats),
            var('marketplace_timezone'),
        ) }} as parsed_modified_at,
        'CNY' as currency_code,
        {{ parse_amount('source.total_amount') }} as order_total_amount,
        coalesce({{ parse_amount('source.post_fee') }}, 0) as shipping_fee_amount,
        coalesce({{ parse_amount('source.discount_fee') }}, 0) as discount_amount,
        nullif(trim(source.post_fee), '') is not null
        and {{ parse_amount('source.post_fee') }} is null
        or nullif(trim(source.discount_fee), '') is not null
        and {{ parse_amount('source.discount_fee') }} is null as has_bad_fee,
        status_map.order_status as parsed_order_status,
        status_map.status_rank
    from source
    left join status_map
        on
            lower(trim(source.platform)) = status_map.source_name
            and lower(trim(source.order_status)) = status_map.source_status
),

converted as (
    select
        parsed.*,
        {{ rate_to_reporting('parsed.currency_code', 'exchange_rates.rate_to_reporting') }}
            as rate_to_reporting
    from parsed
    left join exchange_rates
        on
            parsed.currency_code = exchange_rates.currency_code
            and {{ dbt.date_trunc('month', 'parsed.ordered_at') }}
            = exchange_rates.rate_month
),

validated as (
    select
        *,
        case
            when parsed_platform is null or parsed_platform_order_no is null then 'missing_key'
            when ordered_at is null or parsed_modified_at is null then 'unparseable_timestamp'
            when
                cast(ordered_at as date) > {{ latest_valid_date() }}
                or cast(parsed_modified_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when order_total_amount is null or has_bad_fee then 'non_numeric_amount'
            when order_total_amount < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('order_total_amount') }}
                or {{ is_value_out_of_range('shipping_fee_amount') }}
                or {{ is_value_out_of_range('discount_amount') }}
                then 'value_out_of_range'
            when {{ is_unknown_value('marketplace', 'orders', 'platform') }}
                then 'unknown_platform'
            when parsed_order_status is null then 'unknown_status'
            when rate_to_reporting is null then 'missing_exchange_rate'
        end as reject_reason
    from converted
)
{%- endset %}

{{ triage_raw_export(
    source_name='marketplace',
    table_name='orders',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
    version_order='parsed_modified_at desc, status_rank desc, order_total_amount desc',
) }}
