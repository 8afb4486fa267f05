{#- The value of a date var as a SQL date literal, or none when the var is unset; stops
    the build with a clear message when the value is not a real YYYY-MM-DD date. -#}
{% macro validated_date_var(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or value == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set ok = modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
    {%- if ok -%}
        {%- set year, month, day = text.split('-') | map('int') | list -%}
        {%- if month < 1 or month > 12 or year < 1 -%}
            {%- set ok = false -%}
        {%- else -%}
            {%- set first = modules.datetime.date(year, month, 1) -%}
            {%- set next_first = modules.datetime.date(
                year + (1 if month == 12 else 0), 1 if month == 12 else month + 1, 1
            ) -%}
            {%- set ok = 1 <= day <= (next_first - first).days -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not ok -%}
        {{ exceptions.raise_compiler_error(
            "Var '" ~ name ~ "' must be a date written YYYY-MM-DD, got '" ~ text ~ "'."
        ) }}
    {%- endif -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{%- endmacro %}
