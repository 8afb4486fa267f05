{#- Net Promoter Score from counts: 100 x (promoters - detractors) / responses, rounded to
    two decimals; null without responses. -#}
{% macro nps_score(promoters, detractors, responses) -%}
    round(
        100.0 * ({{ promoters }} - {{ detractors }}) / nullif({{ responses }}, 0),
        2
    )
{%- endmacro %}
