{#- `expression` (a double) rounded to `digits` decimals, still a double. PostgreSQL rounds
    to a number of decimals only numerics, so it rounds the exact decimal value of the
    double and converts back (the same double as DuckDB's round for the values we round). -#}
{% macro round_double(expression, digits) -%}
    {{ return(adapter.dispatch('round_double', 'customer_analytics')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_double(expression, digits) -%}
    cast(round(cast({{ expression }} as numeric), {{ digits }}) as double precision)
{%- endmacro %}
