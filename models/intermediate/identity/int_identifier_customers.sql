-- Lookup from a linkable identifier (type, value) to its resolved customer, for sources
-- that name a customer by email, phone or CRM id (tickets, surveys, marketing sends).
-- Shared identifiers are absent: they name nobody.
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

final as (
    select
        identity_records.identifier_type,
        identity_records.identifier_value,
        min(customer_records.customer_id) as customer_id
    from identity_records
    inner join guards
        on
            identity_records.identifier_type = guards.identifier_type
            and identity_records.identifier_value = guards.identifier_value
    inner join customer_records on identity_records.record_id = customer_records.record_id
    where guards.is_linkable and customer_records.customer_id is not null
    group by identity_records.identifier_type, identity_records.identifier_value
)

select * from final
