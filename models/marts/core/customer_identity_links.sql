-- The evidence of identity resolution: for every identifier seen on two or more
-- records, which records it joined (or, for a shared identifier the guards blocked,
-- which records it would have joined and why it did not). Identifiers are hashed.
with

identity_records as (
    select * from {{ ref('int_identity_records') }}
),

guards as (
    select * from {{ ref('int_identifier_guards') }}
    where record_count >= 2
),

customer_records as (
    select * from {{ ref('int_customer_records') }}
),

final as (
    select
        {{ hash_pii(
            "identity_records.identifier_type || ':' || identity_records.identifier_value"
        ) }} as identifier_hash,
        identity_records.identifier_type,
        identity_records.record_id,
        identity_records.record_type,
        customer_records.customer_id,
        cast(guards.record_count as bigint) as linked_record_count,
        guards.is_linkable as is_link_used,
        guards.guard_reason
    from identity_records
    inner join guards
        on
            identity_records.identifier_type = guards.identifier_type
            and identity_records.identifier_value = guards.identifier_value
    inner join customer_records on identity_records.record_id = customer_records.record_id
)

select * from final
