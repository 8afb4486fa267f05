{#- z statistic of the two-proportion test with pooled variance: rate a minus rate b over
    sqrt(p (1 - p) (1/n_a + 1/n_b)), p the pooled rate. Null when a group is empty or the
    pooled rate is 0 or 1 (no variance: nothing to test). Arguments are counts (columns). -#}
{% macro two_proportion_z(successes_a, trials_a, successes_b, trials_b) -%}
    (case
        when
            ({{ trials_a }}) > 0 and ({{ trials_b }}) > 0
            and ({{ successes_a }}) + ({{ successes_b }}) > 0
            and ({{ successes_a }}) + ({{ successes_b }}) < ({{ trials_a }}) + ({{ trials_b }})
            then (
                1.0 * ({{ successes_a }}) / ({{ trials_a }})
                - 1.0 * ({{ successes_b }}) / ({{ trials_b }})
            ) / sqrt(
                (1.0 * (({{ successes_a }}) + ({{ successes_b }}))
                / (({{ trials_a }}) + ({{ trials_b }})))
                * (1.0 - 1.0 * (({{ successes_a }}) + ({{ successes_b }}))
                / (({{ trials_a }}) + ({{ trials_b }})))
                * (1.0 / ({{ trials_a }}) + 1.0 / ({{ trials_b }}))
            )
    end)
{%- endmacro %}
