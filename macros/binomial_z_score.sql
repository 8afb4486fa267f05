{#- z-score of `successes` out of `trials` against the expected rate `rate` (normal
    approximation of the binomial); null when the variance is 0 (no trials, rate 0 or 1). -#}
{% macro binomial_z_score(successes, trials, rate) -%}
    ({{ successes }} - {{ trials }} * {{ rate }})
    / nullif(sqrt({{ trials }} * {{ rate }} * (1 - {{ rate }})), 0)
{%- endmacro %}
