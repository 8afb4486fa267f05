-- Every raw POS receipt line, parsed, validated and triaged (kept / duplicate /
-- rejected). Incremental (see triage_raw_export): a build reads only new and changed
-- files.

{%- set raw_columns = [
    'receipt_no', 'store_id', 'sold_at', 'loyalty_card', 'phone', 'line_no', 'sku',
    'quantity', 'unit_price', 'line_amount', 'payment_method',
] %}
{%- set key_columns = ['parsed_store_id', 'parsed_receipt_no', 'parsed_line_number'] %}

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

parsed as (
    select
        *,
        nullif(trim(store_id), '') as parsed_store_id,
        nullif(trim(receipt_no), '') as parsed_receipt_no,
        {{ parse_whole_number('line_no') }} as parsed_line_number,
        nullif(trim(sku), '') as parsed_sku,
        {{ local_to_utc(
            parse_local_timestamp('sold_at', ['%Y-%m-%d %H:%M:%S', '%Y/%m/%d %H:%M']),
            var('store_timezone'),
        ) }} as parsed_sold_at,
        {{ normalize_phone('phone') }} as parsed_phone,
        {{ parse_whole_number('quantity') }} as parsed_quantity,
        {{ parse_amount('unit_price') }} as unit_price_amount,
        {{ parse_amount('line_amount') }} as parsed_line_amount,
        nullif(trim(line_amount), '') is not null
        and {{ parse_amount('line_amount') }} is null as has_bad_line_amount,
        'CNY' as currency_code
    from source
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
            and {{ dbt.date_trunc('month', 'parsed.parsed_sold_at') }}
            = exchange_rates.rate_month
),

validated as (
    select
        *,
        case
            when
                parsed_store_id is null
                or parsed_receipt_no is null
                or parsed_line_number is null
                or parsed_sku is null
                then 'missing_key'
            when parsed_sold_at is null then 'unparseable_timestamp'
            when cast(parsed_sold_at as date) > {{ latest_valid_date() }} then 'future_timestamp'
            when parsed_quantity is null then 'non_numeric_quantity'
            when parsed_quantity < 0 then 'negative_quantity'
            when parsed_quantity = 0 then 'zero_quantity'
            when unit_price_amount is null or has_bad_line_amount then 'non_numeric_amount'
            when unit_price_amount < 0 or parsed_line_amount < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('parsed_quantity', 'quantity') }}
                or {{ is_value_out_of_range('unit_price_amount') }}
                or {{ is_value_out_of_range('parsed_line_amount') }}
                then 'value_out_of_range'
            when {{ is_unknown_value('pos', 'sales', 'payment_method') }}
                then 'unknown_payment_method'
            when parsed_store_id in {{ sql_list(var('test_store_ids')) }} then 'test_order'
            when rate_to_reporting is null then 'missing_exchange_rate'
        end as reject_reason
    from converted
)
{%- endset %}

{{ triage_raw_export(
    source_name='pos',
    table_name='sales',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
) }}
