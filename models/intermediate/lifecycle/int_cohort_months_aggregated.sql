-- One row per first-order-month cohort x calendar month in which some of its customers
-- bought or made their second purchase: customers who placed an order that month, their
-- net revenue that month (refunds netted on the order's month), and how many customers
-- made their second purchase (a later purchase day than the first) that month. Orders
-- are aggregated per customer and month before any join.
with

orders as (
    select * from {{ ref('int_placed_orders_netted') }}
),

customer_months as (
    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as month_start_date,
        min(order_date) as first_order_date_in_month,
        max(order_date) as last_order_date_in_month,
        sum(net_total_reporting) as net_revenue_reporting
    from orders
    group by customer_id, cast({{ dbt.date_trunc('month', 'order_date') }} as date)
),

sequenced as (
    select
        *,
        min(month_start_date) over (partition by customer_id) as cohort_month_start_date,
        min(first_order_date_in_month) over (partition by customer_id) as first_order_date,
        row_number() over (partition by customer_id order by month_start_date)
            as active_month_number
    from customer_months
),

-- The second purchase day falls in the first month when the customer bought on two days
-- of it, else in the second month with an order.
flagged as (
    select
        *,
        case
            when active_month_number = 1
                then last_order_date_in_month > first_order_date
            else
                active_month_number = 2
                and lag(last_order_date_in_month) over (
                    partition by customer_id order by month_start_date
                ) = first_order_date
        end as is_second_purchase_month
    from sequenced
),

final as (
    select
        cohort_month_start_date,
        month_start_date,
        count(*) as active_customers,
        sum(net_revenue_reporting) as net_revenue_reporting,
        sum(case when is_second_purchase_month then 1 else 0 end) as repurchasing_customers
    from flagged
    group by cohort_month_start_date, month_start_date
)

select * from final
