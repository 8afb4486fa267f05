-- Monthly rate from every currency to the reporting currency (var `reporting_currency`).
-- The seed quotes CNY per unit; CNY itself is 1 in every month the seed covers.
with

rates as (
    select * from {{ ref('exchange_rates') }}
),

months as (
    select distinct rate_month from rates
),

cny_rates as (
    select
        rate_month,
        'CNY' as currency_code,
        cast(1 as decimal(18, 8)) as cny_per_unit
    from months
),

all_rates as (
    select
        rate_month,
        currency_code,
        cast(cny_per_unit as decimal(18, 8)) as cny_per_unit
    from rates
    union all
    select * from cny_rates
),

reporting as (
    select
        rate_month,
        cny_per_unit as reporting_cny_per_unit
    from all_rates
    where currency_code = '{{ var("reporting_currency") }}'
),

final as (
    select
        cast(all_rates.rate_month as date) as rate_month,
        all_rates.currency_code,
        '{{ var("reporting_currency") }}' as reporting_currency,
        cast(
            all_rates.cny_per_unit / reporting.reporting_cny_per_unit as decimal(18, 8)
        ) as rate_to_reporting
    from all_rates
    inner join reporting on all_rates.rate_month = reporting.rate_month
)

select * from final
