-- Every raw app order row, parsed, validated and triaged (kept / duplicate / rejected).
-- Incremental (see triage_raw_export): a build reads only new and changed files.

{%- set raw_columns = [
    'order_id', 'user_id', 'member_id', 'phone', 'email', 'platform', 'created_ms',
    'updated_ms', 'status', 'pay_amount_fen', 'freight_fen', 'discount_fen', 'campaign_code',
] %}
{#- Epoch milliseconds outside year 1970 to 9999 cannot be a timestamp. -#}
{%- set max_epoch_ms = 253402300799999 %}
{%- set key_columns = ['parsed_order_id'] %}

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
    where source_name = 'app'
),

parsed as (
    select
        source.*,
        nullif(trim(source.order_id), '') as parsed_order_id,
        case
            when source.created_ms between 0 and {{ max_epoch_ms }}
                then {{ epoch_ms_to_utc('source.created_ms') }}
        end as ordered_at,
        case
            when source.updated_ms between 0 and {{ max_epoch_ms }}
                then {{ epoch_ms_to_utc('source.updated_ms') }}
        end as parsed_updated_at,
        {{ normalize_email('source.email') }} as parsed_email,
        {{ normalize_phone('source.phone') }} as parsed_phone,
        'CNY' as currency_code,
        -- Fen beyond the plausible range would overflow the cast: left null, quarantined.
        case
            when not {{ is_value_out_of_range('source.pay_amount_fen', 'minor_units') }}
                then cast(source.pay_amount_fen / 100.0 as decimal(18, 2))
        end as order_total_amount,
        case
            when not {{ is_value_out_of_range('coalesce(source.freight_fen, 0)', 'minor_units') }}
                then cast(coalesce(source.freight_fen, 0) / 100.0 as decimal(18, 2))
        end as shipping_fee_amount,
        case
            when not {{ is_value_out_of_range('coalesce(source.discount_fen, 0)', 'minor_units') }}
                then cast(coalesce(source.discount_fen, 0) / 100.0 as decimal(18, 2))
        end as discount_amount,
        status_map.order_status,
        status_map.status_rank
    from source
    left join status_map
        on cast(source.status as varchar) = status_map.source_status
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
            when parsed_order_id is null then 'missing_key'
            when ordered_at is null or parsed_updated_at is null then 'unparseable_timestamp'
            when
                cast(ordered_at as date) > {{ latest_valid_date() }}
                or cast(parsed_updated_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when pay_amount_fen is null then 'non_numeric_amount'
            when pay_amount_fen < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('pay_amount_fen', 'minor_units') }}
                or {{ is_value_out_of_range('coalesce(freight_fen, 0)', 'minor_units') }}
                or {{ is_value_out_of_range('coalesce(discount_fen, 0)', 'minor_units') }}
                then 'value_out_of_range'
            when {{ is_unknown_value('app', 'orders', 'platform') }}
                then 'unknown_platform'
            when order_status is null then 'unknown_status'
            when rate_to_reporting is null then 'missing_exchange_rate'
        end as reject_reason
    from converted
)
{%- endset %}

{{ triage_raw_export(
    source_name='app',
    table_name='orders',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
    version_order='parsed_updated_at desc, status_rank desc, pay_amount_fen desc',
) }}
