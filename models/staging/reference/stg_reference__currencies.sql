-- Every accepted spelling of a currency (ISO code or alias such as RMB, ¥) mapped to its
-- ISO 4217 code. A spelling missing here is an unknown currency.
with

currencies as (
    select * from {{ ref('currencies') }}
),

aliases as (
    select * from {{ ref('currency_aliases') }}
),

final as (
    select
        upper(currency_code) as source_currency,
        currency_code,
        minor_units
    from currencies
    union all
    select
        upper(aliases.source_currency) as source_currency,
        aliases.currency_code,
        currencies.minor_units
    from aliases
    inner join currencies on aliases.currency_code = currencies.currency_code
)

select * from final
