{#- True when a raw enum column holds a value outside its accepted set
    (`source_accepted_values`), compared trimmed and case-insensitively; an empty or null
    value is never unknown (the expression is null), so whether a column may be empty stays
    the staging model's business. `false` when no set is known (a unit test that gives none). -#}
{% macro is_unknown_value(source_name, table_name, column_name, expression=none) -%}
    {%- set accepted = source_accepted_values(source_name, table_name, column_name) -%}
    {%- if accepted is none -%}
        false
    {%- else -%}
        lower(nullif(trim({{ expression or column_name }}), ''))
        not in {{ sql_list(accepted | map('lower') | list) if accepted else "('')" }}
    {%- endif -%}
{%- endmacro %}
