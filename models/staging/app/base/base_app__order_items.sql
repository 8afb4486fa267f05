-- Every raw app order item, parsed, validated and triaged. Items are checked against the
-- raw orders (any version) so that an orphan item, or an item whose order was rejected,
-- is quarantined rather than silently lost downstream.
{{ config(materialized='table') }}

{%- set raw_columns = ['order_id', 'item_id', 'sku', 'qty', 'price_fen'] %}

with

source as (
    select * from {{ source('app', 'order_items') }}
),

orders as (
    select * from {{ ref('base_app__orders') }}
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
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_order_id', 'item_id'],
    ) | indent(4) }}
)

select * from triaged
