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
