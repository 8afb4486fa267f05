-- Placed orders by hour of day (0-23) x ISO weekday in the business time zone, for every
-- sales channel and for all channels together (`channel = 'all'`): every one of the 168
-- cells of a channel is present, with zeros where nobody bought. Shares and the index are
-- within the channel: an index of 2 is twice the orders of the channel's average cell.
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

order_times as (
    select
        order_id,
        customer_id,
        channel,
        order_total_reporting,
        cast(extract(hour from ordered_at_local) as integer) as purchase_hour,
        {{ iso_weekday('order_date') }} as purchase_weekday
    from orders
),

-- Each channel's cells and the `all` cells in one pass over the orders.
cell_orders as (
    select
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        purchase_weekday,
        purchase_hour,
        count(*) as orders,
        count(distinct customer_id) as customers,
        sum(order_total_reporting) as revenue_reporting
    from order_times
    group by purchase_weekday, purchase_hour, rollup(channel)
),

channels as (
    select distinct channel from cell_orders
),

series as (
    {{ dbt.generate_series(24) }}
),

cells as (
    select
        channels.channel,
        weekdays.generated_number as purchase_weekday,
        hours.generated_number - 1 as purchase_hour
    from channels
    cross join series as weekdays
    cross join series as hours
    where weekdays.generated_number <= 7
),

filled as (
    select
        cells.channel,
        cells.purchase_weekday,
        cells.purchase_hour,
        coalesce(cell_orders.orders, 0) as orders,
        coalesce(cell_orders.customers, 0) as customers,
        coalesce(cell_orders.revenue_reporting, 0) as revenue_reporting
    from cells
    left join cell_orders
        on
            cells.channel = cell_orders.channel
            and cells.purchase_weekday = cell_orders.purchase_weekday
            and cells.purchase_hour = cell_orders.purchase_hour
),

measured as (
    select
        channel,
        purchase_weekday,
        purchase_hour,
        orders,
        customers,
        revenue_reporting,
        sum(orders) over (partition by channel) as channel_orders,
        sum(revenue_reporting) over (partition by channel) as channel_revenue_reporting,
        row_number() over (
            partition by channel
            order by
                orders desc, revenue_reporting desc, purchase_weekday asc, purchase_hour asc
        ) as order_rank
    from filled
),

final as (
    select
        cast(measured.channel as varchar) as channel,
        cast(measured.purchase_weekday as integer) as purchase_weekday,
        cast(measured.purchase_hour as integer) as purchase_hour,
        cast(measured.orders as integer) as orders,
        cast(measured.customers as integer) as customers,
        cast(measured.revenue_reporting as decimal(18, 2)) as revenue_reporting,
        cast(measured.orders * 1.0 / nullif(measured.channel_orders, 0) as decimal(10, 6))
            as order_share,
        cast(
            measured.revenue_reporting / nullif(measured.channel_revenue_reporting, 0)
            as decimal(10, 6)
        ) as revenue_share,
        cast(measured.orders * 168.0 / nullif(measured.channel_orders, 0) as decimal(10, 4))
            as order_index,
        cast(measured.order_rank as integer) as order_rank,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from measured
    cross join as_of
)

select * from final
