{#- Median of `expression` over the rows of `partition_by` up to and including the current
    row in `order_by` order (nulls ignored): a customer's median gap so far, using no later
    row. DuckDB and Spark have a windowed `median`; PostgreSQL has no windowed percentile,
    so it stops with a message instead of silently computing something else. -#}
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
    {{ exceptions.raise_compiler_error(
        "running_median: PostgreSQL has no windowed median (percentile_cont is not a "
        ~ "window function). Add a postgres__running_median that computes it, e.g. from a "
        ~ "lateral subquery over the earlier rows of the partition."
    ) }}
{%- endmacro %}
