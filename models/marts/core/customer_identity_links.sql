-- The evidence of identity resolution: for every identifier seen on two or more
-- records, which records it joined (or, for a shared identifier the guards blocked,
-- which records it would have joined and why it did not). Identifiers are hashed.
with

evidence as (
    select * from {{ ref('int_identity_evidence') }}
    where record_count >= 2 and is_customer_record
),

final as (
    select
        {{ hash_pii("identifier_type || ':' || identifier_value") }} as identifier_hash,
        identifier_type,
        record_id,
        record_type,
        customer_id,
        cast(record_count as bigint) as linked_record_count,
        is_linkable as is_link_used,
        guard_reason
    from evidence
)

select * from final
