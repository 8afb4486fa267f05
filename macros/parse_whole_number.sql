{#- Integer from text only when the text is a whole number ("7", " 7 ", "-2", "7.0");
    null for anything else ("7.5", "seven", empty), unlike a plain cast that rounds. -#}
{% macro parse_whole_number(column) -%}
    case
        when {{ regex_matches('trim(' ~ column ~ ')', '^[+-]?[0-9]{1,9}([.]0*)?$') }}
            then cast(cast(trim({{ column }}) as decimal(18, 2)) as integer)
    end
{%- endmacro %}
