-- Every raw marketplace sub-order (item), parsed, validated and triaged. Items are
-- checked against the raw orders (any version) so that an orphan item, or an item whose
-- order was rejected, is quarantined rather than silently lost downstream. Incremental (see
-- triage_raw_export); a line is read again when its order changes state.

{%- set raw_columns = [
    'platform', 'platform_order_no', 'sub_order_no', 'sku', 'quantity', 'price',
] %}
{%- set key_columns = ['parsed_platform', 'parsed_sub_order_no'] %}

{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='retriage',
    unique_key=key_columns,
    on_schema_change='sync_all_columns',
) }}

{%- set order_keys_sql %}
select
    parsed_platform as platform,
    parsed_platform_order_no as platform_order_no,
    max(case when row_status = 'kept' then 1 else 0 end) as has_kept_row
from {{ ref('base_marketplace__orders') }}
where parsed_platform is not null and parsed_platform_order_no is not null
group by parsed_platform, parsed_platform_order_no
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
        lower(trim(loaded.platform)) = order_keys.platform
        and trim(loaded.platform_order_no) = order_keys.platform_order_no
where loaded.has_kept_row is distinct from order_keys.has_kept_row
{%- endset %}

{%- set transform_sql %}
order_keys as (
    {{ order_keys_sql | indent(4) }}
),

parsed as (
    select
        source.*,
        nullif(lower(trim(source.platform)), '') as parsed_platform,
        nullif(trim(source.platform_order_no), '') as parsed_platform_order_no,
        nullif(trim(source.sub_order_no), '') as parsed_sub_order_no,
        nullif(trim(source.sku), '') as parsed_sku,
        {{ parse_whole_number('source.quantity') }} as parsed_quantity,
        {{ parse_amount('source.price') }} as unit_price_amount,
        order_keys.has_kept_row
    from source
    left join order_keys
        on
            lower(trim(source.platform)) = order_keys.platform
            and trim(source.platform_order_no) = order_keys.platform_order_no
),

validated as (
    select
        *,
        case
            when
                parsed_platform is null
                or parsed_platform_order_no is null
                or parsed_sub_order_no is null
                or parsed_sku is null
                then 'missing_key'
            when {{ is_unknown_value('marketplace', 'order_items', 'platform') }}
                then 'unknown_platform'
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
    source_name='marketplace',
    table_name='order_items',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
    stale_files_sql=stale_files_sql,
) }}
