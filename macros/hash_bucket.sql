{#- Deterministic bucket 0 .. buckets-1 of an expression: the first 8 hex digits of its md5
    read as a number (0 .. 2^32 - 1), modulo `buckets`. md5 and the digit arithmetic are
    the same on DuckDB, PostgreSQL, Spark and Snowflake, so a customer lands in the same
    bucket on every engine (holdout groups stay put when the warehouse moves). The digits are
    summed as bigint: 15 x 16^7 overflows PostgreSQL's integer. -#}
{% macro hash_bucket(expression, buckets=100) -%}
    {{ return(adapter.dispatch('hash_bucket', 'customer_analytics')(expression, buckets)) }}
{%- endmacro %}

{% macro default__hash_bucket(expression, buckets) -%}
    mod(
        {%- for digit in range(8) %}
        (cast(position(
            substr(md5(cast({{ expression }} as {{ dbt.type_string() }})), {{ digit + 1 }}, 1)
            in '0123456789abcdef'
        ) as bigint) - 1) * {{ 16 ** (7 - digit) }}{{ ' +' if not loop.last }}
        {%- endfor %},
        {{ buckets }}
    )
{%- endmacro %}
