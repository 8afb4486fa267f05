-- One row per customer with a placed order up to the as-of date: the BG/NBD and
-- Gamma-Gamma inputs over purchase days (doc `clv_purchase_days`), the historical values
-- and the simple formula value (doc `clv_simple_value`). One grouping of the placed
-- orders by customer and day, then one by customer; no self-join.
{%- set lifespan_years = var('clv_expected_lifespan_years') %}

with

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

purchase_days as (
    select
        orders.customer_id,
        orders.order_date as purchase_date,
        count(*) as order_count,
        sum(orders.order_total_reporting) as gross_value,
        sum(orders.net_total_reporting) as net_value
    from orders
    group by orders.customer_id, orders.order_date
),

numbered as (
    select
        *,
        row_number() over (partition by customer_id order by purchase_date)
            as purchase_day_number
    from purchase_days
),

customers as (
    select
        customer_id,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        count(*) as purchase_day_count,
        sum(order_count) as order_count,
        sum(gross_value) as gross_value,
        sum(net_value) as net_value,
        sum(case when purchase_day_number > 1 then net_value end) as repeat_net_value
    from numbered
    group by customer_id
),

measured as (
    select
        customers.*,
        as_of.as_of_date,
        {{ dbt.datediff('customers.first_purchase_date', 'customers.last_purchase_date', 'day') }}
            as recency_days,
        {{ dbt.datediff('customers.first_purchase_date', 'as_of.as_of_date', 'day') }}
            as t_days
    from customers
    cross join as_of
),

final as (
    select
        customer_id,
        cast(as_of_date as date) as as_of_date,
        cast(first_purchase_date as date) as first_purchase_date,
        cast(last_purchase_date as date) as last_purchase_date,
        cast(order_count as integer) as order_count,
        cast(purchase_day_count as integer) as purchase_day_count,
        cast(purchase_day_count - 1 as integer) as frequency,
        cast(recency_days as integer) as recency,
        cast(t_days as integer) as t,
        cast(
            case when purchase_day_count > 1 then repeat_net_value / (purchase_day_count - 1) end
            as decimal(18, 2)
        ) as monetary_value,
        cast(gross_value as decimal(18, 2)) as historical_gross_value_reporting,
        cast(net_value as decimal(18, 2)) as historical_net_value_reporting,
        cast(net_value / order_count as decimal(18, 2)) as avg_order_value_reporting,
        cast(net_value / purchase_day_count as decimal(18, 2))
            as avg_purchase_day_value_reporting,
        cast(order_count * 365.0 / greatest(t_days, 365) as double precision) as orders_per_year,
        cast(purchase_day_count * 365.0 / greatest(t_days, 365) as double precision)
            as simple_purchases_per_year,
        cast(net_value * 365.0 / greatest(t_days, 365) * {{ lifespan_years }} as decimal(18, 2))
            as simple_clv_reporting
    from measured
)

select * from final
