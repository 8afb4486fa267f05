{#- Lower-cased, trimmed email; null when empty or not shaped like an address. -#}
{% macro normalize_email(column) -%}
    case
        when {{ regex_matches('lower(trim(' ~ column ~ '))', '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$') }}
            then lower(trim({{ column }}))
    end
{%- endmacro %}
