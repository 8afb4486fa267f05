-- Every raw product-review row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
-- JSON values are read as text first, so a number written without quotes parses too.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'review_id', 'source_system', 'order_ref', 'sku', 'rating', 'content', 'created_at',
] %}

with

source as (
    select * from {{ source('reviews', 'product_reviews') }}
),

source_text as (
    select
        {% for column in raw_columns -%}
            {{ json_value_text(column) }} as {{ column }},
        {% endfor -%}
        _source_file
    from source
),

parsed as (
    select
        *,
        nullif(trim(review_id), '') as parsed_review_id,
        {{ parse_timestamp_utc('created_at') }} as parsed_created_at,
        {{ parse_whole_number('rating') }} as parsed_rating
    from source_text
),

validated as (
    select
        *,
        case
            when parsed_review_id is null then 'missing_key'
            when parsed_created_at is null then 'unparseable_timestamp'
            when cast(parsed_created_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when parsed_rating is null or parsed_rating not between 1 and 5 then 'invalid_score'
            when {{ is_unknown_value('reviews', 'product_reviews', 'source_system') }}
                then 'unknown_source_system'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_review_id'],
    ) | indent(4) }}
)

select * from triaged
