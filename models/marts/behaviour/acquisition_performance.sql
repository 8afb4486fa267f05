-- Customers by acquisition channel x campaign (channel and campaign of the first placed
-- order): how many were won, what the first order was worth, how many came back within
-- 90 and 180 days (among customers whose window has fully passed by the as-of date) and
-- what they have spent to date. Count columns add up across rows, so any roll-up can
-- recompute the rates.
with

customer_facts as (
    select * from {{ ref('int_customer_facts') }}
    where order_count > 0
),

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where is_placed and customer_id is not null
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

first_orders as (
    select
        customer_id,
        order_total_reporting as first_order_value_reporting
    from orders
    where customer_order_number = 1
),

second_purchase_days as (
    select
        orders.customer_id,
        min(orders.order_date) as second_purchase_date
    from orders
    inner join customer_facts on orders.customer_id = customer_facts.customer_id
    where orders.order_date > customer_facts.first_order_date
    group by orders.customer_id
),

customers as (
    select
        customer_facts.customer_id,
        customer_facts.acquisition_channel,
        coalesce(customer_facts.acquisition_campaign, '(none)') as acquisition_campaign,
        customer_facts.first_order_date,
        customer_facts.order_count,
        customer_facts.net_spend_reporting,
        first_orders.first_order_value_reporting,
        {{ dbt.datediff(
            'customer_facts.first_order_date', 'second_purchase_days.second_purchase_date', 'day'
        ) }} as days_to_second_purchase,
        {{ dbt.datediff('customer_facts.first_order_date', 'as_of.as_of_date', 'day') }}
            as days_observed
    from customer_facts
    cross join as_of
    left join first_orders on customer_facts.customer_id = first_orders.customer_id
    left join second_purchase_days
        on customer_facts.customer_id = second_purchase_days.customer_id
),

grouped as (
    select
        acquisition_channel,
        acquisition_campaign,
        count(*) as customers_acquired,
        min(first_order_date) as first_acquired_date,
        max(first_order_date) as last_acquired_date,
        sum(first_order_value_reporting) as first_order_revenue_reporting,
        {%- for days in [90, 180] %}
            count(case when days_observed >= {{ days }} then customer_id end)
                as customers_observed_{{ days }}d,
            count(
                case
                    when days_observed >= {{ days }} and days_to_second_purchase <= {{ days }}
                        then customer_id
                end
            ) as repeat_customers_{{ days }}d,
        {%- endfor %}
        count(case when order_count > 1 then customer_id end) as repeat_customers_to_date,
        sum(order_count) as orders,
        sum(net_spend_reporting) as net_spend_reporting
    from customers
    group by acquisition_channel, acquisition_campaign
),

final as (
    select
        cast(grouped.acquisition_channel as varchar) as acquisition_channel,
        cast(grouped.acquisition_campaign as varchar) as acquisition_campaign,
        cast(grouped.acquisition_campaign <> '(none)' as boolean) as is_campaign_tagged,
        cast(grouped.customers_acquired as integer) as customers_acquired,
        cast(grouped.first_acquired_date as date) as first_acquired_date,
        cast(grouped.last_acquired_date as date) as last_acquired_date,
        cast(grouped.first_order_revenue_reporting as decimal(18, 2))
            as first_order_revenue_reporting,
        cast(
            grouped.first_order_revenue_reporting / grouped.customers_acquired
            as decimal(18, 2)
        ) as average_first_order_value_reporting,
        {%- for days in [90, 180] %}
            cast(grouped.customers_observed_{{ days }}d as integer)
                as customers_observed_{{ days }}d,
            cast(grouped.repeat_customers_{{ days }}d as integer) as repeat_customers_{{ days }}d,
            cast(
                grouped.repeat_customers_{{ days }}d * 1.0
                / nullif(grouped.customers_observed_{{ days }}d, 0) as decimal(10, 6)
            ) as repeat_rate_{{ days }}d,
        {%- endfor %}
        cast(grouped.repeat_customers_to_date as integer) as repeat_customers_to_date,
        cast(grouped.orders as integer) as orders,
        cast(grouped.orders * 1.0 / grouped.customers_acquired as decimal(10, 2))
            as average_orders,
        cast(grouped.net_spend_reporting as decimal(18, 2)) as net_spend_reporting,
        cast(grouped.net_spend_reporting / grouped.customers_acquired as decimal(18, 2))
            as average_net_spend_reporting,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(as_of.as_of_date as date) as as_of_date
    from grouped
    cross join as_of
)

select * from final
