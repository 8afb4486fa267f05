-- Each customer's first and second purchase day with the top-level category each was
-- mostly about (most spend, then units, then category id). Purchase days are business
-- dates with a placed order holding a catalogued product: two orders of one day are one
-- visit, as for the days between orders.
with

order_skus as (
    select * from {{ ref('int_order_skus_aggregated') }}
    where customer_id is not null and top_category_id is not null
),

day_categories as (
    select
        customer_id,
        order_date,
        top_category_id,
        sum(spend_reporting) as spend_reporting,
        sum(units) as units
    from order_skus
    group by customer_id, order_date, top_category_id
),

numbered_days as (
    select
        customer_id,
        order_date,
        top_category_id,
        dense_rank() over (
            partition by customer_id
            order by order_date
        ) as purchase_day_number,
        row_number() over (
            partition by customer_id, order_date
            order by spend_reporting desc, units desc, top_category_id asc
        ) as category_rank
    from day_categories
),

first_two_days as (
    select
        customer_id,
        order_date,
        top_category_id,
        purchase_day_number
    from numbered_days
    where purchase_day_number <= 2 and category_rank = 1
),

final as (
    select
        first_days.customer_id,
        first_days.order_date as first_purchase_date,
        first_days.top_category_id as first_category_id,
        second_days.order_date as second_purchase_date,
        second_days.top_category_id as second_category_id,
        {{ dbt.datediff('first_days.order_date', 'second_days.order_date', 'day') }}
            as days_to_second_purchase
    from first_two_days as first_days
    left join first_two_days as second_days
        on
            first_days.customer_id = second_days.customer_id
            and second_days.purchase_day_number = 2
    where first_days.purchase_day_number = 1
)

select * from final
