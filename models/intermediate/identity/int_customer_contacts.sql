-- The primary email and phone of each resolved customer: of its linkable contacts, the
-- one carried by the most records (ties: the CRM's, then the smallest value). Personal
-- data: intermediate only; marts expose hashes and masks of these.
with

evidence as (
    select * from {{ ref('int_identity_evidence') }}
    where
        identifier_type in ('email', 'phone')
        and is_linkable
        and customer_id is not null
),

contact_counts as (
    select
        customer_id,
        identifier_type,
        identifier_value,
        count(distinct record_id) as record_count,
        max(case when record_type = 'crm_customer' then 1 else 0 end) as is_in_crm
    from evidence
    group by customer_id, identifier_type, identifier_value
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
