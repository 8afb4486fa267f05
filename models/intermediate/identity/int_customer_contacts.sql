-- The primary email and phone of each resolved customer: of its linkable contacts, the
-- one carried by the most records (ties: the CRM's, then the smallest value). Personal
-- data: intermediate only; marts expose hashes and masks of these.
with

identity_records as (
    select * from {{ ref('int_identity_records') }}
    where identifier_type in ('email', 'phone')
),

guards as (
    select * from {{ ref('int_identifier_guards') }}
),

customer_records as (
    select * from {{ ref('int_customer_records') }}
),

contact_counts as (
    select
        customer_records.customer_id,
        identity_records.identifier_type,
        identity_records.identifier_value,
        count(distinct identity_records.record_id) as record_count,
        max(case when identity_records.record_type = 'crm_customer' then 1 else 0 end)
            as is_in_crm
    from identity_records
    inner join guards
        on
            identity_records.identifier_type = guards.identifier_type
            and identity_records.identifier_value = guards.identifier_value
    inner join customer_records on identity_records.record_id = customer_records.record_id
    where guards.is_linkable and customer_records.customer_id is not null
    group by
        customer_records.customer_id,
        identity_records.identifier_type,
        identity_records.identifier_value
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_id, identifier_type
            order by record_count desc, is_in_crm desc, identifier_value asc
        ) as contact_rank,
        count(*) over (partition by customer_id, identifier_type) as contact_count
    from contact_counts
),

final as (
    select
        customer_id,
        max(case when identifier_type = 'email' then identifier_value end) as primary_email,
        max(case when identifier_type = 'phone' then identifier_value end) as primary_phone,
        coalesce(max(case when identifier_type = 'email' then contact_count end), 0)
            as email_count,
        coalesce(max(case when identifier_type = 'phone' then contact_count end), 0)
            as phone_count
    from ranked
    where contact_rank = 1
    group by customer_id
)

select * from final
