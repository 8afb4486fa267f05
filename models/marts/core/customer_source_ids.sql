-- Every source system's own customer key mapped to the resolved customer, so users can
-- join back to their systems. Keys only: never an email or a phone.
with

evidence as (
    select * from {{ ref('int_identity_evidence') }}
    where
        identifier_type
        in ('crm_id', 'app_user_id', 'loyalty_card', 'tmall_buyer_id', 'jd_buyer_id')
        and is_linkable
        and customer_id is not null
),

source_keys as (
    select distinct
        customer_id,
        case identifier_type
            when 'crm_id' then 'crm'
            when 'app_user_id' then 'app'
            when 'loyalty_card' then 'loyalty_card'
            when 'tmall_buyer_id' then 'tmall'
            when 'jd_buyer_id' then 'jd'
        end as source_name,
        identifier_value as source_customer_id
    from evidence
),

final as (
    select
        customer_id,
        source_name,
        source_customer_id
    from source_keys
)

select * from final
