{#- UTC timestamp from a local timestamp without zone, given the IANA zone name. -#}
{% macro local_to_utc(timestamp_expression, timezone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'customer_analytics')(
        timestamp_expression, timezone
    )) }}
{%- endmacro %}

{% macro default__local_to_utc(timestamp_expression, timezone) -%}
    (({{ timestamp_expression }}) at time zone '{{ timezone }}' at time zone 'UTC')
{%- endmacro %}

{% macro spark__local_to_utc(timestamp_expression, timezone) -%}
    to_utc_timestamp({{ timestamp_expression }}, '{{ timezone }}')
{%- endmacro %}
