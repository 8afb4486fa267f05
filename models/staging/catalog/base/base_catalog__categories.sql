-- Every raw catalogue category row, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'category_id', 'category_name_zh', 'category_name_en', 'parent_category_id',
] %}

with

source as (
    select * from {{ source('catalog', 'categories') }}
),

parsed as (
    select
        *,
        nullif(trim(category_id), '') as parsed_category_id
    from source
),

validated as (
    select
        *,
        case
            when parsed_category_id is null then 'missing_key'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_category_id'],
    ) | indent(4) }}
)

select * from triaged
