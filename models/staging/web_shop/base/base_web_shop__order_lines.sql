-- Every raw web-shop order line, parsed, validated and triaged. Lines are checked
-- against the raw orders (any version) so that an orphan line, or a line whose order
-- was rejected, is quarantined rather than silently lost downstream.
{{ config(materialized='table') }}

{%- set raw_columns = ['order_id', 'line_number', 'sku', 'quantity', 'unit_price'] %}

with

source as (
    select * from {{ source('web_shop', 'order_lines') }}
),

orders as (
    select * from {{ ref('base_web_shop__orders') }}
),

order_keys as (
    select
        parsed_order_id as order_id,
        max(case when row_status = 'kept' then 1 else 0 end) as has_kept_row
    from orders
    where parsed_order_id is not null
    group by parsed_order_id
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
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_order_id', 'parsed_line_number'],
    ) | indent(4) }}
)

select * from triaged
