-- Every source system's own customer key mapped to the resolved customer, so users can
-- join back to their systems. Keys only: never an email or a phone.
with

identity_records as (
    select * from {{ ref('int_identity_records') }}
),

guards as (
    select * from {{ ref('int_identifier_guards') }}
),

customer_records as (
    select * from {{ ref('int_customer_records') }}
),

source_keys as (
    select distinct
        customer_records.customer_id,
        case identity_records.identifier_type
            when 'crm_id' then 'crm'
            when 'app_user_id' then 'app'
            when 'loyalty_card' then 'loyalty_card'
            when 'tmall_buyer_id' then 'tmall'
            when 'jd_buyer_id' then 'jd'
        end as source_name,
        identity_records.identifier_value as source_customer_id
    from identity_records
    inner join guards
        on
            identity_records.identifier_type = guards.identifier_type
            and identity_records.identifier_value = guards.identifier_value
    inner join customer_records on identity_records.record_id = customer_records.record_id
    where
        identity_records.identifier_type
        in ('crm_id', 'app_user_id', 'loyalty_card', 'tmall_buyer_id', 'jd_buyer_id')
        and guards.is_linkable
        and customer_records.customer_id is not null
),

final as (
    select
        customer_id,
        source_name,
        source_customer_id
    from source_keys
)

select * from final
