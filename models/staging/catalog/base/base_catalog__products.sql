-- Every raw catalogue product row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'sku', 'product_name', 'category_id', 'brand', 'list_price', 'launched_on', 'status',
] %}

with

source as (
    select * from {{ source('catalog', 'products') }}
),

parsed as (
    select
        *,
        nullif(trim(sku), '') as parsed_sku,
        {{ parse_amount('list_price') }} as list_price_amount,
        cast({{ parse_local_timestamp('launched_on', ['%Y-%m-%d', '%Y/%m/%d']) }} as date)
            as launched_date
    from source
),

validated as (
    select
        *,
        case
            when parsed_sku is null then 'missing_key'
            when {{ is_unknown_value('catalog', 'products', 'status') }}
                then 'unknown_status'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_sku'],
    ) | indent(4) }}
)

select * from triaged
