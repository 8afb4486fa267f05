-- Every raw app order item, parsed, validated and triaged. Items are checked against the
-- raw orders (any version) so that an orphan item, or an item whose order was rejected,
-- is quarantined rather than silently lost downstream. Incremental (see
-- triage_raw_export); a line is read again when its order changes state.

{%- set raw_columns = ['order_id', 'item_id', 'sku', 'qty', 'price_fen'] %}
{%- set key_columns = ['parsed_order_id', 'item_id'] %}

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
from {{ ref('base_app__orders') }}
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
        nullif(trim(source.sku), '') as parsed_sku,
        case
            when not {{ is_value_out_of_range('source.price_fen', 'minor_units') }}
                then cast(source.price_fen / 100.0 as decimal(18, 2))
        end as unit_price_amount,
        order_keys.has_kept_row
    from source
    left join order_keys on trim(source.order_id) = order_keys.order_id
),

validated as (
    select
        *,
        case
            when parsed_order_id is null or item_id is null or parsed_sku is null
                then 'missing_key'
            when has_kept_row is null then 'orphan_line'
            when has_kept_row = 0 then 'parent_rejected'
            when qty is null then 'non_numeric_quantity'
            when qty < 0 then 'negative_quantity'
            when qty = 0 then 'zero_quantity'
            when price_fen is null then 'non_numeric_amount'
            when price_fen < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('qty', 'quantity') }}
                or {{ is_value_out_of_range('price_fen', 'minor_units') }}
                then 'value_out_of_range'
        end as reject_reason
    from parsed
)
{%- endset %}

{{ triage_raw_export(
    source_name='app',
    table_name='order_items',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
    stale_files_sql=stale_files_sql,
) }}
