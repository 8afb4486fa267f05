{#- ISO weekday (1 = Monday ... 7 = Sunday) of a date, counted from Monday 1900-01-01 so
    that it is the same on every engine. -#}
{% macro iso_weekday(date_expression) -%}
    (mod({{ dbt.datediff("cast('1900-01-01' as date)", date_expression, 'day') }}, 7) + 1)
{%- endmacro %}
