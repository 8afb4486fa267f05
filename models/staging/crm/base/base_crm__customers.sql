-- Every raw CRM customer row, parsed, validated and triaged (kept / duplicate /
-- rejected). A table: the kept rows, the rejects and the data-quality counts read it.
{{ config(materialized='table') }}

{%- set raw_columns = [
    'customer_id', 'full_name', 'email', 'phone', 'loyalty_card_no', 'birthday', 'gender',
    'province', 'city', 'signup_date', 'consent_email', 'consent_sms', 'consent_wechat',
    'opted_out_at', 'updated_at', 'tmall_buyer_id', 'jd_buyer_id',
] %}

with

source as (
    select * from {{ source('crm', 'customers') }}
),

parsed as (
    select
        *,
        nullif(trim(customer_id), '') as parsed_customer_id,
        {{ parse_local_timestamp('updated_at', ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S']) }}
            as parsed_updated_at
    from source
),

validated as (
    select
        *,
        case
            when parsed_customer_id is null then 'missing_key'
            when parsed_updated_at is null then 'unparseable_timestamp'
        end as reject_reason
    from parsed
),

triaged as (
    {{ triage_rows(
        relation='validated',
        raw_columns=raw_columns,
        key_columns=['parsed_customer_id'],
        version_order='parsed_updated_at desc, _source_file desc',
    ) | indent(4) }}
)

select * from triaged
