{#- `expression` with every match of the regular expression `pattern` replaced. -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'customer_analytics')(
        expression, pattern, replacement
    )) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Spark replaces every match by default; Java's regular expressions spell the POSIX
    class `[:space:]` as `\s`; Spark reads a backslash in a string literal as an escape: the
    pattern's are doubled. -#}
{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace(
        {{ expression }},
        '{{ pattern | replace("[:space:]", "\\s") | replace("\\", "\\\\") }}',
        '{{ replacement }}'
    )
{%- endmacro %}
