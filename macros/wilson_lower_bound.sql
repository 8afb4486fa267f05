{#- Lower bound of the Wilson score interval of the rate `successes` / `trials` (z = 1.96:
    95 %), for ranking rates of very different volumes; null without trials. -#}
{% macro wilson_lower_bound(successes, trials, z=1.96) -%}
    (
        {{ successes }} * 1.0 / nullif({{ trials }}, 0)
        + {{ (z * z) | round(4) }} / (2.0 * nullif({{ trials }}, 0))
        - {{ z }} * sqrt(
            {{ successes }} * 1.0 / nullif({{ trials }}, 0)
            * (1 - {{ successes }} * 1.0 / nullif({{ trials }}, 0))
            / nullif({{ trials }}, 0)
            + {{ (z * z) | round(4) }} / (4.0 * nullif({{ trials }}, 0) * nullif({{ trials }}, 0))
        )
    ) / (1 + {{ (z * z) | round(4) }} / nullif({{ trials }}, 0))
{%- endmacro %}
