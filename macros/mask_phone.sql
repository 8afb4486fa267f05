{#- E.164 phone with the middle digits hidden: +8613812345678 -> +86138****5678. -#}
{% macro mask_phone(expression) -%}
    case
        when {{ expression }} is not null
            then substr({{ expression }}, 1, length({{ expression }}) - 8) || '****'
            || substr({{ expression }}, length({{ expression }}) - 3, 4)
    end
{%- endmacro %}
