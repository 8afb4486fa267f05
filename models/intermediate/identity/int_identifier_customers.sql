-- Lookup from a linkable identifier (type, value) to its resolved customer, for sources
-- that name a customer by email, phone or CRM id (tickets, surveys, marketing sends).
-- Shared identifiers are absent: they name nobody.
with

evidence as (
    select * from {{ ref('int_identity_evidence') }}
),

final as (
    select
        identifier_type,
        identifier_value,
        min(customer_id) as customer_id
    from evidence
    where is_linkable and customer_id is not null
    group by identifier_type, identifier_value
)

select * from final
