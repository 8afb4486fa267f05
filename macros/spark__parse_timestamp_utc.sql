{#- Spark form of `parse_timestamp_utc`: only the ISO 8601 shapes DuckDB's cast accepts
    are cast (as postgres__parse_timestamp_utc); the cast reads an offset and gives the
    instant in the session's time zone, UTC (the spark target sets it), and reads text
    without an offset as UTC. -#}
{% macro spark__parse_timestamp_utc(column) -%}
    (case
        when trim({{ column }}) rlike '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$'
            then try_cast(trim({{ column }}) as timestamp)
    end)
{%- endmacro %}
