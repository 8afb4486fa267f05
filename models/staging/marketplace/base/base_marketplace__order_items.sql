-- Every raw marketplace sub-order (item), parsed, validated and triaged. Items are
-- checked against the raw orders (any version) so that an orphan item, or an item whose
-- order was rejected, is quarantined rather than silently lost downstream.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'platform', 'platform_order_no', 'sub_order_no', 'sku', 'quantity', 'price',
] %}

with

source as (
    select * from {{ source('marketplace', 'order_items') }}
),

orders as (
    select * from {{ ref('base_marketplace__orders') }}
),

order_keys as (
    select
        parsed_platform as platform,
        parsed_platform_order_no as platform_order_no,
        max(case when row_status = 'kept' then 1 else 0 end) as has_kept_row
    from orders
    where parsed_platform is not null and parsed_platform_order_no is not null
    group by parsed_platform, parsed_platform_order_no
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
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_platform', 'parsed_sub_order_no'],
    ) | indent(4) }}
)

select * from triaged
