{#- Boolean from a hand-entered flag: Y/yes/1/true/是 are true, N/no/0/false/否 are
    false (any case, trimmed); anything else, including empty, is null (unknown). -#}
{% macro parse_yes_no(column) -%}
    case
        when lower(trim({{ column }})) in ('y', 'yes', '1', 'true', 't', '是') then true
        when lower(trim({{ column }})) in ('n', 'no', '0', 'false', 'f', '否') then false
    end
{%- endmacro %}
