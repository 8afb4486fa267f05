{#- The given raw columns of a row as one JSON object text, to keep rejected rows
    inspectable in a single uniform column. -#}
{% macro raw_record_json(columns) -%}
    {{ return(adapter.dispatch('raw_record_json', 'customer_analytics')(columns)) }}
{%- endmacro %}

{% macro default__raw_record_json(columns) -%}
    cast(to_json(struct_pack(
        {%- for column in columns %}
        {{ column }} := cast({{ column }} as varchar){{ ',' if not loop.last }}
        {%- endfor %}
    )) as varchar)
{%- endmacro %}

{% macro postgres__raw_record_json(columns) -%}
    cast(json_build_object(
        {%- for column in columns %}
        '{{ column }}', cast({{ column }} as varchar){{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}

{#- Spark's `to_json` leaves out null fields unless told not to. -#}
{% macro spark__raw_record_json(columns) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', cast({{ column }} as string){{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}
