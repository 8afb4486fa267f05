{#- The four NPS counts of the answers in a group, from their 0-10 `score`: `responses`,
    `promoters` (9-10), `passives` (7-8) and `detractors` (0-6), as bigint. -#}
{% macro nps_counts(score) -%}
    cast(count({{ score }}) as bigint) as responses,
    cast(sum(case when {{ score }} >= 9 then 1 else 0 end) as bigint) as promoters,
    cast(sum(case when {{ score }} between 7 and 8 then 1 else 0 end) as bigint) as passives,
    cast(sum(case when {{ score }} <= 6 then 1 else 0 end) as bigint) as detractors
{%- endmacro %}
