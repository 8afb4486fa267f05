{#- PostgreSQL implementation of dbt's cross-database `safe_cast` (see duckdb__safe_cast):
    null instead of an error for a malformed value, through the functions that the
    on-run-start hook `create_engine_functions` creates. A decimal keeps DuckDB's rounding
    to its scale and is null when it does not fit its precision. -#}
{% macro postgres__safe_cast(field, type) -%}
    {%- set schema = adapter.quote(target.schema) -%}
    {%- set decimal = modules.re.match(
        '^ *(decimal|numeric) *[(] *([0-9]+) *, *([0-9]+) *[)] *$', type | lower
    ) -%}
    {%- if decimal -%}
        cast({{ schema }}.safe_cast_decimal(
            cast({{ field }} as text), {{ decimal.group(2) }}, {{ decimal.group(3) }}
        ) as {{ type }})
    {%- else -%}
        {{ schema }}.safe_cast(cast({{ field }} as text), cast(null as {{ type }}))
    {%- endif -%}
{%- endmacro %}
