-- One row per customer x category x business date on which the customer's placed orders
-- held the category, at both catalogue levels (`top` categories and their `sub`
-- categories), with the category's previous purchase date of the customer and the days
-- between them. Several orders or lines on one day are one purchase day, as in the
-- customer facts.
with

order_items as (
    select * from {{ ref('int_order_items_resolved') }}
    where customer_id is not null and is_placed
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

top_category_days as (
    select distinct
        customer_id,
        category_id,
        order_date
    from order_items
    where category_id is not null
),

sub_category_days as (
    select distinct
        order_items.customer_id,
        products.category_id,
        order_items.order_date
    from order_items
    inner join products on order_items.sku = products.sku
    inner join categories on products.category_id = categories.category_id
    where categories.parent_category_id is not null
),

category_days as (
    select
        customer_id,
        'top' as category_level,
        category_id,
        order_date
    from top_category_days
    union all
    select
        customer_id,
        'sub' as category_level,
        category_id,
        order_date
    from sub_category_days
),

sequenced as (
    select
        customer_id,
        category_level,
        category_id,
        order_date as purchase_date,
        row_number() over (
            partition by customer_id, category_id
            order by order_date
        ) as purchase_day_number,
        lag(order_date) over (
            partition by customer_id, category_id
            order by order_date
        ) as previous_purchase_date
    from category_days
),

final as (
    select
        customer_id,
        category_level,
        category_id,
        purchase_date,
        purchase_day_number,
        previous_purchase_date,
        {{ dbt.datediff('previous_purchase_date', 'purchase_date', 'day') }}
            as days_since_previous_purchase
    from sequenced
)

select * from final
