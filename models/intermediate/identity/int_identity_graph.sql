-- Connected components over linkable identifiers, by component_label propagation: identifiers on
-- the same record are neighbours, and every identifier repeatedly takes the smallest
-- component_label among itself and its neighbours. Labels sort account keys first (CRM id, app
-- user, loyalty card, marketplace buyers, then email and phone), so a component is named
-- after its most stable key. Runs var `identity_max_iterations` rounds; `is_converged`
-- is false for an identifier whose component_label still changed in the last round (tested).
-- The rounds work on the identifiers' numbers (int_identity_record_nodes): the smallest
-- number is the smallest key, and integers keep the eight label tables small.
{%- set iterations = var('identity_max_iterations') | int %}

with

record_nodes as (
    select * from {{ ref('int_identity_record_nodes') }}
),

nodes as {{ materialized_cte() }} (
    select distinct
        node_id,
        node_key
    from record_nodes
),

record_hubs as (
    select
        record_id,
        min(node_id) as hub_id
    from record_nodes
    group by record_id
),

half_edges as (
    select distinct
        record_hubs.hub_id as node_a,
        record_nodes.node_id as node_b
    from record_nodes
    inner join record_hubs on record_nodes.record_id = record_hubs.record_id
    where record_nodes.node_id <> record_hubs.hub_id
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
