{#- z statistic of the two-proportion test with pooled variance: rate a minus rate b over
    sqrt(p (1 - p) (1/n_a + 1/n_b)), p the pooled rate. Null when a group is empty or the
    pooled rate is 0 or 1 (no variance: nothing to test). Arguments are counts (columns). -#}
{% macro two_proportion_z(successes_a, trials_a, successes_b, trials_b) -%}
    {{ return(adapter.dispatch('two_proportion_z', 'customer_analytics')(
        successes_a, trials_a, successes_b, trials_b
    )) }}
{%- endmacro %}

{% macro default__two_proportion_z(successes_a, trials_a, successes_b, trials_b, one='1.0') -%}
    (case
        when
            ({{ trials_a }}) > 0 and ({{ trials_b }}) > 0
            and ({{ successes_a }}) + ({{ successes_b }}) > 0
            and ({{ successes_a }}) + ({{ successes_b }}) < ({{ trials_a }}) + ({{ trials_b }})
            then (
                {{ one }} * ({{ successes_a }}) / ({{ trials_a }})
                - {{ one }} * ({{ successes_b }}) / ({{ trials_b }})
            ) / sqrt(
                ({{ one }} * (({{ successes_a }}) + ({{ successes_b }}))
                / (({{ trials_a }}) + ({{ trials_b }})))
                * ({{ one }} - {{ one }} * (({{ successes_a }}) + ({{ successes_b }}))
                / (({{ trials_a }}) + ({{ trials_b }})))
                * ({{ one }} / ({{ trials_a }}) + {{ one }} / ({{ trials_b }}))
            )
    end)
{%- endmacro %}

{#- Spark computes `1.0 * x / y` in decimals and rounds the products under the square root
    to 6 decimals (z 3.3787 for 3.3806); in doubles, as DuckDB does, it agrees. -#}
{% macro spark__two_proportion_z(successes_a, trials_a, successes_b, trials_b) -%}
    {{ default__two_proportion_z(
        successes_a, trials_a, successes_b, trials_b, one='cast(1 as double)'
    ) }}
{%- endmacro %}
