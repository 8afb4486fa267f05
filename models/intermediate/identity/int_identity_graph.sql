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

record_hubs as (
    select
        record_id,
        min(node_key) as hub_key
    from linkable
    group by record_id
),

half_edges as (
    select distinct
        record_hubs.hub_key as node_a,
        linkable.node_key as node_b
    from linkable
    inner join record_hubs on linkable.record_id = record_hubs.record_id
    where linkable.node_key <> record_hubs.hub_key
),

edges as (
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
    select distinct
        node_key,
        node_key as component_label
    from linkable
),

{%- for i in range(1, iterations + 1) %}

    labels_{{ i }} as {{ materialized_cte() }} (
        select
            node_key,
            min(component_label) as component_label
        from (
            select
                node_key,
                component_label
            from labels_{{ i - 1 }}
            union all
            select
                edges.dst as node_key,
                labels_{{ i - 1 }}.component_label
            from edges
            inner join labels_{{ i - 1 }} on edges.src = labels_{{ i - 1 }}.node_key
        ) as candidates
        group by node_key
    ),
{%- endfor %}

final as (
    select
        labels_{{ iterations }}.node_key,
        labels_{{ iterations }}.component_label,
        labels_{{ iterations }}.component_label
        = labels_{{ iterations - 1 }}.component_label as is_converged
    from labels_{{ iterations }}
    inner join labels_{{ iterations - 1 }}
        on labels_{{ iterations }}.node_key = labels_{{ iterations - 1 }}.node_key
)

select * from final
