{#- `materialized` hint for a CTE that later CTEs read more than once (DuckDB and
    PostgreSQL both honour it); empty elsewhere. -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'customer_analytics')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized_cte() -%}
{%- endmacro %}
