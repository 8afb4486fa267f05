-- Every (record, identifier) observation with the guard's verdict on the identifier and
-- the customer the record resolved to: the one join of records, guards and customers
-- that the contact, source-id, lookup and evidence models all read. Personal data:
-- intermediate only.
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
        identity_records.record_id,
        identity_records.record_type,
        identity_records.identifier_type,
        identity_records.identifier_value,
        guards.record_count,
        guards.is_linkable,
        guards.guard_reason,
        customer_records.record_id is not null as is_customer_record,
        customer_records.customer_id
    from identity_records
    inner join guards
        on
            identity_records.identifier_type = guards.identifier_type
            and identity_records.identifier_value = guards.identifier_value
    left join customer_records on identity_records.record_id = customer_records.record_id
)

select * from final
