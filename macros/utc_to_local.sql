{#- Local timestamp (without zone) in the IANA zone `timezone` from a UTC timestamp. -#}
{% macro utc_to_local(timestamp_expression, timezone) -%}
    (({{ timestamp_expression }}) at time zone 'UTC' at time zone '{{ timezone }}')
{%- endmacro %}
