-- Every raw row of the store master, parsed and triaged. A table like every base model:
-- the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = ['store_id', 'store_name', 'province', 'city', 'opened_on'] %}

with

source as (
    select * from {{ source('pos', 'stores') }}
),

parsed as (
    select
        *,
        nullif(trim(store_id), '') as parsed_store_id,
        cast(
            {{ parse_local_timestamp('opened_on', ['%Y-%m-%d', '%Y/%m/%d']) }} as date
        ) as opened_date
    from source
),

validated as (
    select
        *,
        case
            when parsed_store_id is null then 'missing_key'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_store_id'],
    ) | indent(4) }}
)

select * from triaged
