{#- Spark implementation of dbt's cross-database `safe_cast` (see duckdb__safe_cast):
    `try_cast` gives null for a malformed value instead of failing the query. -#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ spark_type_names(type) }})
{%- endmacro %}
