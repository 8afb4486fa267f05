{#- UTC timestamp (without zone) from ISO 8601 text with an offset ("...+08:00", "...Z");
    text without an offset is read as UTC. Null when unparseable. -#}
{% macro parse_timestamp_utc(column) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'customer_analytics')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp_utc(column) -%}
    (try_cast(trim({{ column }}) as timestamptz) at time zone 'UTC')
{%- endmacro %}
