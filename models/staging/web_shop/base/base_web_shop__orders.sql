-- Every raw web-shop order row, parsed, validated and triaged (kept / duplicate /
-- rejected). Incremental (see triage_raw_export): a build reads only new and changed
-- files.

{%- set raw_columns = [
    'order_id', 'created_at', 'updated_at', 'customer_email', 'customer_phone', 'member_id',
    'currency', 'order_total', 'shipping_fee', 'discount_total', 'status',
    'external_order_ref', 'utm_source', 'utm_campaign', 'ship_province', 'ship_city',
] %}
{%- set key_columns = ['parsed_order_id'] %}

{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='retriage',
    unique_key=key_columns,
    on_schema_change='sync_all_columns',
) }}

{%- set transform_sql %}
currencies as (
    select * from {{ ref('stg_reference__currencies') }}
),

exchange_rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

status_map as (
    select * from {{ ref('stg_reference__order_status_map') }}
    where source_name = 'web_shop'
),

parsed as (
    select
        source.*,
        nullif(trim(source.order_id), '') as parsed_order_id,
        {{ parse_timestamp_utc('source.created_at') }} as ordered_at,
        {{ parse_timestamp_utc('source.updated_at') }} as parsed_updated_at,
        {{ normalize_email('source.customer_email') }} as parsed_email,
        {{ normalize_phone('source.customer_phone') }} as parsed_phone,
        currencies.currency_code,
        {{ parse_amount('source.order_total') }} as order_total_amount,
        coalesce({{ parse_amount('source.shipping_fee') }}, 0) as shipping_fee_amount,
        coalesce({{ parse_amount('source.discount_total') }}, 0) as discount_amount,
        nullif(trim(source.shipping_fee), '') is not null
        and {{ parse_amount('source.shipping_fee') }} is null
        or nullif(trim(source.discount_total), '') is not null
        and {{ parse_amount('source.discount_total') }} is null as has_bad_fee,
        status_map.order_status,
        status_map.status_rank
    from source
    left join currencies
        on upper(trim(source.currency)) = currencies.source_currency
    left join status_map
        on lower(trim(source.status)) = status_map.source_status
),

converted as (
    select
        parsed.*,
        {{ rate_to_reporting('parsed.currency_code', 'exchange_rates.rate_to_reporting') }}
            as rate_to_reporting
    from parsed
    left join exchange_rates
        on
            parsed.currency_code = exchange_rates.currency_code
            and {{ dbt.date_trunc('month', 'parsed.ordered_at') }}
            = exchange_rates.rate_month
),

validated as (
    select
        *,
        case
            when parsed_order_id is null then 'missing_key'
            when ordered_at is null or parsed_updated_at is null then 'unparseable_timestamp'
            when
                cast(ordered_at as date) > {{ latest_valid_date() }}
                or cast(parsed_updated_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when order_total_amount is null or has_bad_fee then 'non_numeric_amount'
            when order_total_amount < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('order_total_amount') }}
                or {{ is_value_out_of_range('shipping_fee_amount') }}
                or {{ is_value_out_of_range('discount_amount') }}
                then 'value_out_of_range'
            when currency_code is null then 'unknown_currency'
            when order_status is null then 'unknown_status'
            when {{ email_domain_in('parsed_email', var('test_email_domains')) }} then 'test_order'
            when rate_to_reporting is null then 'missing_exchange_rate'
        end as reject_reason
    from converted
)
{%- endset %}

{{ triage_raw_export(
    source_name='web_shop',
    table_name='orders',
    transform_sql=transform_sql,
    raw_columns=raw_columns,
    key_columns=key_columns,
    version_order='parsed_updated_at desc, status_rank desc, order_total desc',
) }}
