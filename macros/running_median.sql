{#- Median of `expression` over the rows of `partition_by` up to and including the current
    row in `order_by` order (nulls ignored): a customer's median gap so far, using no later
    row. DuckDB and Spark have a windowed `median`; PostgreSQL has no windowed percentile
    (`percentile_cont` is not a window function), so it uses the ordinary aggregate
    `<target schema>.median` that the on-run-start hook `create_engine_functions` creates. -#}
{% macro running_median(expression, partition_by, order_by) -%}
    {{ return(adapter.dispatch('running_median', 'customer_analytics')(
        expression, partition_by, order_by
    )) }}
{%- endmacro %}

{% macro default__running_median(expression, partition_by, order_by) -%}
    median({{ expression }}) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{% macro postgres__running_median(expression, partition_by, order_by) -%}
    {{ adapter.quote(target.schema) }}.median(cast({{ expression }} as double precision)) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{#- Spark allows no frame on `median` or `percentile_cont`: the sorted values so far
    (a customer's purchase gaps: short lists) and the middle one or two of them. -#}
{% macro spark__running_median(expression, partition_by, order_by) -%}
    {%- set values -%}
        array_sort(filter(collect_list(cast({{ expression }} as double)) over (
            partition by {{ partition_by }}
            order by {{ order_by }}
            rows between unbounded preceding and current row
        ), value -> value is not null))
    {%- endset -%}
    case
        when size({{ values }}) > 0 then (
            element_at({{ values }}, cast(floor((size({{ values }}) + 1) / 2.0) as int))
            + element_at({{ values }}, cast(ceil((size({{ values }}) + 1) / 2.0) as int))
        ) / 2
    end
{%- endmacro %}
