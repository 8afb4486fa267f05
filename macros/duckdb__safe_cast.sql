{#- DuckDB implementation of dbt's cross-database `safe_cast`: dbt's default is a plain
    `cast`, which fails the whole query on one malformed value; `try_cast` gives null,
    which is what every parsing macro (`parse_amount`, ...) relies on. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
