{#- PostgreSQL form of `parse_timestamp_utc`. Only ISO 8601 shapes DuckDB's cast accepts
    are cast (PostgreSQL would also read 'now', 'epoch' or 'June 18'); the cast itself is
    error-free (`safe_cast`) and reads text without an offset as UTC. -#}
{% macro postgres__parse_timestamp_utc(column) -%}
    (case
        when trim({{ column }}) ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$'
            then {{ adapter.quote(target.schema) }}.safe_cast(
                trim({{ column }}), cast(null as timestamptz)
            ) at time zone 'UTC'
    end)
{%- endmacro %}
