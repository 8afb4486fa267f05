{#- Timestamp (without zone) from text in any of the given strftime formats; null when
    none of them parses. -#}
{% macro parse_local_timestamp(column, formats) -%}
    {{ return(adapter.dispatch('parse_local_timestamp', 'customer_analytics')(column, formats)) }}
{%- endmacro %}

{% macro default__parse_local_timestamp(column, formats) -%}
    try_strptime(trim({{ column }}), [{%- for f in formats -%}'{{ f }}'{{ ', ' if not loop.last }}{%- endfor -%}])
{%- endmacro %}
