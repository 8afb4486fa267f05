{#- True when `returned` of `sold` units is an abnormally high return rate against the
    `expected_rate` (the top-level category's): at least var `return_rate_min_sold_units`
    sold, a rate at least var `return_rate_min_ratio` times the expected one, and a
    binomial z-score of at least var `return_rate_min_z_score`. False otherwise. -#}
{% macro is_abnormal_return_rate(returned, sold, expected_rate) -%}
    coalesce(
        {{ sold }} >= {{ var('return_rate_min_sold_units') }}
        and {{ returned }} >= {{ var('return_rate_min_ratio') }} * {{ expected_rate }} * {{ sold }}
        and {{ binomial_z_score(returned, sold, expected_rate) }}
        >= {{ var('return_rate_min_z_score') }},
        false
    )
{%- endmacro %}
