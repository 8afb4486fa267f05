{#- UTC timestamp from a local timestamp without zone, given the IANA zone name. -#}
{% macro local_to_utc(timestamp_expression, timezone) -%}
    (({{ timestamp_expression }}) at time zone '{{ timezone }}' at time zone 'UTC')
{%- endmacro %}
