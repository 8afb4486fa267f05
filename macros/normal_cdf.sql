{#- Standard normal cumulative distribution function P(Z <= z), in portable SQL (exp, abs,
    sqrt). The upper tail is 0.5 * erfc(|z| / sqrt(2)) with the Chebyshev fit of erfc from
    Numerical Recipes (erfcc): relative error below 1.2e-7 everywhere, so the absolute error
    of the CDF, and of a p-value 2 * normal_cdf(-abs(z)), is below 1.2e-7 (< 1e-6) and tiny
    tails keep their precision. Pass a column or a simple expression: it is repeated. In
    double precision on every engine (PostgreSQL would otherwise expand exact numerics). -#}
{% macro normal_cdf(z) -%}
    {%- set x = '(abs(cast(' ~ z ~ ' as double precision)) / sqrt(2.0))' -%}
    {%- set t = '(1.0 / (1.0 + 0.5 * ' ~ x ~ '))' -%}
    {%- set upper_tail -%}
        0.5 * {{ t }} * exp(
            -{{ x }} * {{ x }} - 1.26551223 + {{ t }} * (1.00002368 + {{ t }} * (0.37409196
            + {{ t }} * (0.09678418 + {{ t }} * (-0.18628806 + {{ t }} * (0.27886807
            + {{ t }} * (-1.13520398 + {{ t }} * (1.48851587 + {{ t }} * (-0.82215223
            + {{ t }} * 0.17087277))))))))
        )
    {%- endset -%}
    (case
        when ({{ z }}) >= 0 then 1.0 - {{ upper_tail }}
        else {{ upper_tail }}
    end)
{%- endmacro %}
