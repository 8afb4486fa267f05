-- Every raw web-shop order line, parsed, validated and triaged. Lines are checked
-- against the raw orders (any version) so that an orphan line, or a line whose order
-- was rejected, is quarantined rather than silently lost downstream. Incremental (see
-- triage_raw_export); a line is read again when its order changes state.

{%- set raw_columns = ['order_id', 'line_number', 'sku', 'quantity', 'unit_price'] %}
{%- set key_columns = ['parsed_order_id', 'parsed_line_number'] %}

{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='retriage',
    unique_key=key_columns,
    on_schema_change='sync_all_columns',
) }}

{%- set order_keys_sql %}
select
    parsed_order_id as order_id,
    max(case when row_status = 'kept' then 1 else 0 end) as has_kept_row
from {{ ref('base_web_shop__orders') }}
where parsed_order_id is not null
group by parsed_order_id
{%- endset %}

{#- Loaded rows whose parent order has changed state since (arrived, or lost its last
    kept version) are read again: their files are stale. #}
{%- set stale_files_sql %}
select distinct loaded._source_file
from {{ this }} as loaded
left join (
    {{ order_keys_sql | indent(4) }}
) as order_keys
    on
        trim(loaded.order_id) = order_keys.order_id
where loaded.has_kept_row is distinct from order_keys.has_kept_row
{%- endset %}

{%- set transform_sql %}
order_keys as (
    {{ order_keys_sql | indent(4) }}
),

parsed as (
    select
        source.*,
        nullif(trim(source.order_id), '') as parsed_order_id,
        {{ parse_whole_number('source.line_number') }} as parsed_line_number,
        nullif(trim(source.sku), '') as parsed_sku,
        {{ parse_whole_number('source.quantity') }} as parsed_quantity,
        {{ parse_amount('source.unit_price') }} as unit_price_amount,
        order_keys.has_kept_row
    from source
    left join order_keys on trim(source.order_id) = order_keys.order_id
),

validated as (
    select
        *,
        case
            when parsed_order_id is null or parsed_line_number is null or parsed_sku is null
                then 'missing_key'
            when has_kept_row is null then 'orphan_line'
            when has_kept_row = 0 then 'parent_rejected'
            when parsed_quantity is null then 'non_numeric_quantity'
            when parsed_quantity < 0 then 'negative_quantity'
            when parsed_quantity = 0 then 'zero_quantity'
            when unit_price_amount is null then 'non_numeric_amount'
            when unit_price_amount < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('parsed_quantity', 'quantity') }}
                or {{ is_value_out_of_range('unit_price_amount') }}
                then 'value_out_of_range'
        end as reject_reason
    from parsed
)
{%- endset %}

{{ triage_raw_export(
    source_name='web_shop',
    table_name='order_lines',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
    stale_files_sql=stale_files_sql,
) }}
