-- Every raw return / exchange row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'return_id', 'source_system', 'order_ref', 'sku', 'quantity', 'refund_amount',
    'currency', 'return_type', 'reason', 'batch_no', 'requested_at', 'status',
] %}

with

source as (
    select * from {{ source('after_sales', 'returns') }}
),

currencies as (
    select * from {{ ref('stg_reference__currencies') }}
),

exchange_rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

parsed as (
    select
        source.*,
        nullif(trim(source.return_id), '') as parsed_return_id,
        {{ parse_timestamp_utc('source.requested_at') }} as parsed_requested_at,
        {{ parse_whole_number('source.quantity') }} as parsed_quantity,
        {{ parse_amount('source.refund_amount') }} as parsed_refund_amount,
        currencies.currency_code
    from source
    left join currencies
        on upper(trim(source.currency)) = currencies.source_currency
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
            and {{ dbt.date_trunc('month', 'parsed.parsed_requested_at') }}
            = exchange_rates.rate_month
),

validated as (
    select
        *,
        case
            when parsed_return_id is null then 'missing_key'
            when parsed_requested_at is null then 'unparseable_timestamp'
            when cast(parsed_requested_at as date) > {{ latest_valid_date() }}
                then 'future_timestamp'
            when parsed_quantity is null then 'non_numeric_quantity'
            when parsed_quantity < 0 then 'negative_quantity'
            when parsed_refund_amount is null then 'non_numeric_amount'
            when parsed_refund_amount < 0 then 'negative_amount'
            when
                {{ is_value_out_of_range('parsed_quantity', 'quantity') }}
                or {{ is_value_out_of_range('parsed_refund_amount') }}
                then 'value_out_of_range'
            when currency_code is null then 'unknown_currency'
            when {{ is_unknown_value('after_sales', 'returns', 'source_system') }}
                then 'unknown_source_system'
            when {{ is_unknown_value('after_sales', 'returns', 'return_type') }}
                then 'unknown_return_type'
            when {{ is_unknown_value('after_sales', 'returns', 'reason') }}
                then 'unknown_reason'
            when {{ is_unknown_value('after_sales', 'returns', 'status') }}
                then 'unknown_status'
            when rate_to_reporting is null then 'missing_exchange_rate'
        end as reject_reason
    from converted
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_return_id'],
    ) | indent(4) }}
)

select * from triaged
