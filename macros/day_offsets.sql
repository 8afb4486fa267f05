{#- A relation of whole numbers `day_offset` 0 .. 10^digits - 1 (default 0 .. 9999: 27
    years of days), built from cross joins of a ten-row values list so that it runs on
    every engine. Add it to a start date (`dbt.dateadd`) to get a date spine whose bounds
    are data, which `dbt.date_spine` cannot take. -#}
{% macro day_offsets(digits=4) -%}
    select
        {%- for position in range(digits) %}
        {{ 'digit_' ~ position }}.digit * {{ 10 ** position }}{{ ' +' if not loop.last }}
        {%- endfor %} as day_offset
    from
        {%- for position in range(digits) %}
        (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))
            as {{ 'digit_' ~ position }} (digit){{ ',' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
