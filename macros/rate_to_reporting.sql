{#- The rate from `currency_column` to the reporting currency: 1 when they are the same
    currency (no rate needed, whatever the month), else the looked-up `rate_column`
    (null when the seed has no rate for that month: a `missing_exchange_rate`), as
    decimal(18, 8) on every engine. -#}
{% macro rate_to_reporting(currency_column, rate_column) -%}
    cast(
        case
            when {{ currency_column }} = '{{ var("reporting_currency") }}' then 1
            else {{ rate_column }}
        end
        as decimal(18, 8)
    )
{%- endmacro %}
