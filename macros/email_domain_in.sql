{#- True when the (normalised) email's domain is one of `domains`. -#}
{% macro email_domain_in(column, domains) -%}
    (
        {%- for domain in domains -%}
            {{ column }} like '%@{{ domain | replace("'", "''") }}'{{ ' or ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}
