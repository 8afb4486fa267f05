-- Placed orders up to the as-of date by order-value band (seed `spend_bands`), per sales
-- channel and for all channels (`channel = 'all'`); every band of every channel is listed.
-- Shares divide by the channel's placed orders counted apart from the bands, so a band
-- table that drops or double-counts orders fails the tests.
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed
),

bands as (
    select * from {{ ref('int_spend_bands_ranked') }}
    where band_type = 'order_value'
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

banded_orders as (
    select
        orders.channel,
        orders.customer_id,
        orders.order_total_reporting,
        bands.band_rank
    from orders
    inner join bands
        on
            orders.order_total_reporting >= bands.lower_bound_reporting
            and (
                orders.order_total_reporting < bands.upper_bound_reporting
                or bands.upper_bound_reporting is null
            )
),

-- Each channel and `all` in one pass over the orders (rollup).
channel_totals as (
    select
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        count(*) as orders,
        sum(order_total_reporting) as revenue_reporting
    from orders
    group by rollup(channel)
),

banded as (
    select
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        band_rank,
        count(*) as orders,
        count(distinct customer_id) as customers,
        sum(order_total_reporting) as revenue_reporting
    from banded_orders
    group by band_rank, rollup(channel)
),

final as (
    select
        cast(channel_totals.channel as varchar) as channel,
        cast(bands.band_rank as integer) as band_rank,
        cast(bands.band_label as varchar) as band_label,
        cast(bands.lower_bound_reporting as decimal(18, 2)) as lower_bound_reporting,
        cast(bands.upper_bound_reporting as decimal(18, 2)) as upper_bound_reporting,
        cast(coalesce(banded.orders, 0) as integer) as orders,
        cast(coalesce(banded.orders, 0) * 1.0 / channel_totals.orders as decimal(10, 6))
            as order_share,
        cast(coalesce(banded.customers, 0) as integer) as customers,
        cast(coalesce(banded.revenue_reporting, 0) as decimal(18, 2)) as revenue_reporting,
        cast(
            coalesce(banded.revenue_reporting, 0)
            / nullif(channel_totals.revenue_reporting, 0)
            as decimal(10, 6)
        ) as revenue_share,
        cast(banded.revenue_reporting / banded.orders as decimal(18, 2))
            as average_order_value_reporting,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from channel_totals
    cross join bands
    cross join as_of
    left join banded
        on
            channel_totals.channel = banded.channel
            and bands.band_rank = banded.band_rank
)

select * from final
