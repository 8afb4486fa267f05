-- Buying customers (a placed order up to the as-of date) by net-spend band (seed
-- `spend_bands`). Shares divide by the buying customers counted apart from the bands, so
-- a band table that drops or double-counts customers fails the tests.
with

customer_facts as (
    select * from {{ ref('int_customer_facts') }}
    where order_count > 0
),

bands as (
    select * from {{ ref('int_spend_bands_ranked') }}
    where band_type = 'customer_net_spend'
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

totals as (
    select
        count(*) as customers,
        sum(net_spend_reporting) as net_spend_reporting
    from customer_facts
),

banded as (
    select
        bands.band_rank,
        count(*) as customers,
        sum(customer_facts.order_count) as orders,
        sum(customer_facts.net_spend_reporting) as net_spend_reporting
    from customer_facts
    inner join bands
        on
            customer_facts.net_spend_reporting >= bands.lower_bound_reporting
            and (
                customer_facts.net_spend_reporting < bands.upper_bound_reporting
                or bands.upper_bound_reporting is null
            )
    group by bands.band_rank
),

final as (
    select
        cast(bands.band_rank as integer) as band_rank,
        cast(bands.band_label as varchar) as band_label,
        cast(bands.lower_bound_reporting as decimal(18, 2)) as lower_bound_reporting,
        cast(bands.upper_bound_reporting as decimal(18, 2)) as upper_bound_reporting,
        cast(coalesce(banded.customers, 0) as integer) as customers,
        cast(coalesce(banded.customers, 0) * 1.0 / nullif(totals.customers, 0) as decimal(10, 6))
            as customer_share,
        cast(coalesce(banded.orders, 0) as integer) as orders,
        cast(coalesce(banded.net_spend_reporting, 0) as decimal(18, 2)) as net_spend_reporting,
        cast(
            coalesce(banded.net_spend_reporting, 0) / nullif(totals.net_spend_reporting, 0)
            as decimal(10, 6)
        ) as net_spend_share,
        cast(banded.net_spend_reporting / banded.customers as decimal(18, 2))
            as average_net_spend_reporting,
        cast(banded.orders * 1.0 / banded.customers as decimal(10, 2)) as average_orders,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from bands
    cross join totals
    cross join as_of
    left join banded on bands.band_rank = banded.band_rank
)

select * from final
