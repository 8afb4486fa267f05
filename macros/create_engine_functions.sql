{#- on-run-start hook: SQL functions an engine lacks and the models need, created before
    any model runs. DuckDB and Spark have them built in (nothing to do); PostgreSQL gets
    `<target schema>.median(double precision)`, an ordinary aggregate, so usable as a
    window function (its `percentile_cont` is not), for `running_median`. -#}
{% macro create_engine_functions() %}
    {{- return(adapter.dispatch('create_engine_functions', 'customer_analytics')()) -}}
{% endmacro %}

{% macro default__create_engine_functions() %}{% endmacro %}

{#- `median`: the state is the array of values so far; the final function reads it without
    changing it, so a running window keeps one state per partition (nulls are ignored, like
    DuckDB's median). The `safe_*` functions are DuckDB's `try_cast` / `try_strptime`: null
    instead of an error for a malformed value (PostgreSQL 15 has no such cast); `safe_cast`
    reads a timestamp without an offset as UTC whatever the session's time zone, and
    `safe_to_timestamp` keeps the text's wall-clock time (the pg target expects a UTC
    session, as the DuckDB profile sets). `unit_test_value` drops
    a numeric's trailing zeros for unit tests (postgres__get_unit_test_sql). -#}
{% macro postgres__create_engine_functions() %}
    {%- set schema = adapter.quote(target.schema) -%}
    create schema if not exists {{ schema }};
    create or replace function {{ schema }}.median_final(double precision [])
    returns double precision
    language sql immutable parallel safe
    as $$
        select percentile_cont(0.5) within group (order by value) from unnest($1) as value
    $$;
    create or replace aggregate {{ schema }}.median(double precision) (
        sfunc = array_append,
        stype = double precision [],
        finalfunc = {{ schema }}.median_final,
        initcond = '{}'
    );
    create or replace function {{ schema }}.safe_cast(value text, type_hint anyelement)
    returns anyelement
    language plpgsql immutable parallel safe
    set timezone to 'UTC'
    as $$
    declare
        result alias for $0;
    begin
        -- Assigned inside the block, so that a failed cast is caught here.
        result := value;
        return result;
    exception when others then
        return null;
    end
    $$;
    create or replace function {{ schema }}.safe_cast_decimal(
        value text, type_precision integer, type_scale integer
    )
    returns numeric
    language plpgsql immutable parallel safe
    as $$
    declare
        parsed numeric;
    begin
        parsed := round(cast(value as numeric), type_scale);
        -- NaN and infinity compare above every number, so they are refused here too.
        if abs(parsed) >= power(10::numeric, type_precision - type_scale) then
            return null;
        end if;
        return parsed;
    exception when others then
        return null;
    end
    $$;
    create or replace function {{ schema }}.safe_to_timestamp(value text, format text)
    returns timestamp
    language plpgsql immutable parallel safe
    as $$
    begin
        return cast(to_timestamp(value, format) as timestamp);
    exception when others then
        return null;
    end
    $$;
    create or replace function {{ schema }}.unit_test_value(value anyelement)
    returns anyelement
    language plpgsql immutable parallel safe
    as $$
    declare
        result alias for $0;
    begin
        if pg_typeof(value) = cast('numeric' as regtype) then
            result := trim_scale(cast(cast(value as text) as numeric));
        else
            result := value;
        end if;
        return result;
    end
    $$;
{% endmacro %}
