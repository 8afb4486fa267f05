{#- Relations live in schemas named exactly after their layer (staging, intermediate,
    marts), not dbt's default `<target schema>_<custom schema>`, so BI users query
    `marts.<table>` on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
