-- Connected components over linkable identifiers, by component_label propagation: identifiers on
-- the same record are neighbours, and every identifier repeatedly takes the smallest
-- component_label among itself and its neighbours. Labels sort account keys first (CRM id, app
-- user, loyalty card, marketplace buyers, then email and phone), so a component is named
-- after its most stable key. Runs var `identity_max_iterations` rounds; `is_converged`
-- is false for an identifier whose component_label still changed in the last round (tested).
{%- set iterations = var('identity_max_iterations') | int %}

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

-- Every identifier once, numbered in node_key order: the rounds work on these integers
-- (the smallest number is the smallest key), which keeps the eight label tables small.
nodes as {{ materialized_cte() }} (
    select
        node_key,
        row_number() over (order by node_key) as node_id
    from (select distinct node_key from linkable) as distinct_nodes
),

linkable_ids as (
    select
        linkable.record_id,
        nodes.node_id
    from linkable
    inner join nodes on linkable.node_key = nodes.node_key
),

record_hubs as (
    select
        record_id,
        min(node_id) as hub_id
    from linkable_ids
    group by record_id
),

half_edges as (
    select distinct
        record_hubs.hub_id as node_a,
        linkable_ids.node_id as node_b
    from linkable_ids
    inner join record_hubs on linkable_ids.record_id = record_hubs.record_id
    where linkable_ids.node_id <> record_hubs.hub_id
),

edges as {{ materialized_cte() }} (
    select
        node_a as src,
        node_b as dst
    from half_edges
    union
    select
        node_b as src,
        node_a as dst
    from half_edges
),

labels_0 as {{ materialized_cte() }} (
    select
        node_id,
        node_id as component_id
    from nodes
),

{%- for i in range(1, iterations + 1) %}

    labels_{{ i }} as {{ materialized_cte() }} (
        select
            node_id,
            min(component_id) as component_id
        from (
            select
                node_id,
                component_id
            from labels_{{ i - 1 }}
            union all
            select
                edges.dst as node_id,
                labels_{{ i - 1 }}.component_id
            from edges
            inner join labels_{{ i - 1 }} on edges.src = labels_{{ i - 1 }}.node_id
        ) as candidates
        group by node_id
    ),
{%- endfor %}

final as (
    select
        nodes.node_key,
        components.node_key as component_label,
        labels_{{ iterations }}.component_id
        = labels_{{ iterations - 1 }}.component_id as is_converged
    from labels_{{ iterations }}
    inner join labels_{{ iterations - 1 }}
        on labels_{{ iterations }}.node_id = labels_{{ iterations - 1 }}.node_id
    inner join nodes on labels_{{ iterations }}.node_id = nodes.node_id
    inner join nodes as components on labels_{{ iterations }}.component_id = components.node_id
)

select * from final
