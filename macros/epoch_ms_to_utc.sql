{#- UTC timestamp (without zone) from epoch milliseconds; null outside years 1970 to
    9999 (a value that large would overflow the conversion). -#}
{% macro epoch_ms_to_utc(column) -%}
    {{ return(adapter.dispatch('epoch_ms_to_utc', 'customer_analytics')(column)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_utc(column) -%}
    case
        when {{ column }} between 0 and 253402300799999
            then make_timestamp(cast({{ column }} as bigint) * 1000)
    end
{%- endmacro %}

{% macro postgres__epoch_ms_to_utc(column) -%}
    case
        when {{ column }} between 0 and 253402300799999
            then (to_timestamp({{ column }} / 1000.0) at time zone 'UTC')
    end
{%- endmacro %}

{% macro spark__epoch_ms_to_utc(column) -%}
    case
        when {{ column }} between 0 and 253402300799999
            then timestamp_millis(cast({{ column }} as bigint))
    end
{%- endmacro %}
