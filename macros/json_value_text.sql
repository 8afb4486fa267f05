{#- Plain text of a raw JSON-lines value, whether the raw relation typed the column as
    JSON (a string comes back without its quotes, a number as its digits) or as text
    (unchanged). Null for a JSON null or a missing value. -#}
{% macro json_value_text(column) -%}
    {{ return(adapter.dispatch('json_value_text', 'customer_analytics')(column)) }}
{%- endmacro %}

{% macro default__json_value_text(column) -%}
    (to_json({{ column }}) ->> '$')
{%- endmacro %}

{% macro postgres__json_value_text(column) -%}
    (to_jsonb({{ column }}) #>> '{}')
{%- endmacro %}

{#- Spark reads JSON-lines values as text already (spark__create_raw_relations). -#}
{% macro spark__json_value_text(column) -%}
    ({{ column }})
{%- endmacro %}
