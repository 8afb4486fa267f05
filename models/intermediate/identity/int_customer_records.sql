-- Every customer record up to the as-of date (orders and CRM customers) with the
-- resolved customer it belongs to. An order without any linkable identifier (a cash
-- sale without loyalty card, a guest order with only a placeholder email) is anonymous:
-- it has no customer. A CRM record always has its own id, so it always has a customer.
with

orders as (
    select * from {{ ref('int_orders_deduplicated') }}
),

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

identity_records as (
    select * from {{ ref('int_identity_records') }}
),

graph as (
    select * from {{ ref('int_identity_graph') }}
),

all_records as (
    select
        orders.order_id as record_id,
        'order' as record_type
    from orders
    cross join as_of
    where orders.order_date <= as_of.as_of_date
    union all
    select
        'crm:' || crm_customers.customer_id as record_id,
        'crm_customer' as record_type
    from crm_customers
    cross join as_of
    where coalesce(crm_customers.signup_date, as_of.as_of_date) <= as_of.as_of_date
),

record_labels as (
    select
        identity_records.record_id,
        min(graph.component_label) as component_label
    from identity_records
    inner join graph
        on
            identity_records.identifier_type || '|' || identity_records.identifier_value
            = substr(graph.node_key, 3)
    group by identity_records.record_id
),

final as (
    select
        all_records.record_id,
        all_records.record_type,
        record_labels.component_label as identity_label,
        'cus_' || substr(md5(record_labels.component_label), 1, 16) as customer_id,
        record_labels.component_label is null as is_anonymous
    from all_records
    left join record_labels on all_records.record_id = record_labels.record_id
)

select * from final
