-- One row per business date of the order history up to the as-of date: placed orders,
-- customers and revenue, flagged with the public holidays and shopping festivals it falls
-- in, for charts that shade holiday periods.
with

sales_days as (
    select * from {{ ref('int_sales_days_flagged') }}
),

final as (
    select
        cast(sales_date as date) as sales_date,
        cast(iso_weekday as integer) as iso_weekday,
        cast(orders as integer) as orders,
        cast(customers as integer) as customers,
        cast(first_orders as integer) as first_orders,
        cast(revenue_reporting as decimal(18, 2)) as revenue_reporting,
        cast(revenue_reporting / nullif(orders, 0) as decimal(18, 2))
            as average_order_value_reporting,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(is_holiday as boolean) as is_holiday,
        cast(is_public_holiday as boolean) as is_public_holiday,
        cast(is_shopping_festival as boolean) as is_shopping_festival,
        cast(is_peak_day as boolean) as is_peak_day,
        cast(holiday_keys as varchar) as holiday_keys
    from sales_days
)

select * from final
