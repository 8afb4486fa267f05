{#- Email with the local part hidden but its first character: l***@163.com. -#}
{% macro mask_email(expression) -%}
    case
        when {{ expression }} like '%@%'
            then substr({{ expression }}, 1, 1) || '***@' || split_part({{ expression }}, '@', 2)
    end
{%- endmacro %}
