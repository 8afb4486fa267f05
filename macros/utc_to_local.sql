{#- Local timestamp (without zone) in the IANA zone `timezone` from a UTC timestamp. -#}
{% macro utc_to_local(timestamp_expression, timezone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'customer_analytics')(
        timestamp_expression, timezone
    )) }}
{%- endmacro %}

{% macro default__utc_to_local(timestamp_expression, timezone) -%}
    (({{ timestamp_expression }}) at time zone 'UTC' at time zone '{{ timezone }}')
{%- endmacro %}

{% macro spark__utc_to_local(timestamp_expression, timezone) -%}
    from_utc_timestamp({{ timestamp_expression }}, '{{ timezone }}')
{%- endmacro %}
