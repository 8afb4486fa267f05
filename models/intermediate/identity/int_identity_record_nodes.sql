-- The linkable identifiers of each identity record, as nodes of the identity graph: a
-- node key that sorts account keys first (CRM id, app user, loyalty card, marketplace
-- buyers, then email and phone), and a number given in node key order, so that the
-- graph's rounds can work on integers. Numbered once here, in a table: a window over
-- every identifier is costly to repeat (Spark evaluates shared CTEs once per use).
with

records as (
    select * from {{ ref('int_identity_records') }}
),

guards as (
    select * from {{ ref('int_identifier_guards') }}
),

linkable as (
    select
        records.record_id,
        case records.identifier_type
            when 'crm_id' then '1'
            when 'app_user_id' then '2'
            when 'loyalty_card' then '3'
            when 'tmall_buyer_id' then '4'
            when 'jd_buyer_id' then '5'
            when 'email' then '6'
            else '7'
        end || '|' || records.identifier_type || '|' || records.identifier_value as node_key
    from records
    inner join guards
        on
            records.identifier_type = guards.identifier_type
            and records.identifier_value = guards.identifier_value
    where guards.is_linkable
),

nodes as (
    select
        node_key,
        row_number() over (order by node_key) as node_id
    from (select distinct node_key from linkable) as distinct_nodes
),

final as (
    select distinct
        linkable.record_id,
        linkable.node_key,
        nodes.node_id
    from linkable
    inner join nodes on linkable.node_key = nodes.node_key
)

select * from final
