{#- A SQL list literal ('a', 'b') from a Jinja list, for `in` predicates on vars. -#}
{% macro sql_list(values) -%}
    ({%- for value in values -%}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor -%})
{%- endmacro %}
