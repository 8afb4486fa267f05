{#- UTC timestamp (without zone) from epoch milliseconds. -#}
{% macro epoch_ms_to_utc(column) -%}
    {{ return(adapter.dispatch('epoch_ms_to_utc', 'customer_analytics')(column)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_utc(column) -%}
    make_timestamp(cast({{ column }} as bigint) * 1000)
{%- endmacro %}

{% macro postgres__epoch_ms_to_utc(column) -%}
    (to_timestamp({{ column }} / 1000.0) at time zone 'UTC')
{%- endmacro %}
