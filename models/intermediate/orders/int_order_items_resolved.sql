-- Every kept line of every feed for the orders in int_orders_resolved, in one shape, with
-- the order's customer, channel and dates and the product's top-level category. Lines of
-- web-shop copies of marketplace orders drop out with their order (the marketplace
-- order's own lines survive). Line amounts exclude the order's shipping and discount.
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
),

web_lines as (
    select * from {{ ref('stg_web_shop__order_lines') }}
),

app_items as (
    select * from {{ ref('stg_app__order_items') }}
),

pos_sales as (
    select * from {{ ref('stg_pos__sales') }}
),

marketplace_items as (
    select * from {{ ref('stg_marketplace__order_items') }}
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

exchange_rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

lines as (
    select
        'web_shop:' || order_id as order_id,
        cast(line_number as varchar) as line_ref,
        sku,
        quantity,
        unit_price_amount,
        line_amount,
        cast(null as varchar) as currency_code,
        cast(null as decimal(18, 2)) as line_amount_reporting
    from web_lines
    union all
    select
        'app:' || order_id as order_id,
        cast(line_number as varchar) as line_ref,
        sku,
        quantity,
        unit_price_amount,
        line_amount,
        cast(null as varchar) as currency_code,
        cast(null as decimal(18, 2)) as line_amount_reporting
    from app_items
    union all
    select
        'pos:' || order_id as order_id,
        cast(line_number as varchar) as line_ref,
        sku,
        quantity,
        unit_price_amount,
        line_amount,
        currency_code,
        line_amount_reporting
    from pos_sales
    union all
    select
        platform || ':' || platform_order_no as order_id,
        sub_order_no as line_ref,
        sku,
        quantity,
        unit_price_amount,
        line_amount,
        cast(null as varchar) as currency_code,
        cast(null as decimal(18, 2)) as line_amount_reporting
    from marketplace_items
),

product_categories as (
    select
        products.sku,
        products.product_name,
        top_categories.category_id,
        top_categories.category_name_zh,
        top_categories.category_name_en
    from products
    left join categories on products.category_id = categories.category_id
    left join categories as top_categories
        on
            coalesce(categories.parent_category_id, categories.category_id)
            = top_categories.category_id
),

order_lines as (
    select
        lines.order_id || '#' || lines.line_ref as order_line_id,
        lines.order_id,
        orders.customer_id,
        orders.channel,
        orders.ordered_at,
        orders.order_date,
        lines.sku,
        lines.quantity,
        lines.unit_price_amount,
        lines.line_amount,
        coalesce(lines.currency_code, orders.currency_code) as currency_code,
        lines.line_amount_reporting,
        orders.is_placed
    from lines
    inner join orders on lines.order_id = orders.order_id
),

final as (
    select
        order_lines.order_line_id,
        order_lines.order_id,
        order_lines.customer_id,
        order_lines.channel,
        order_lines.ordered_at,
        order_lines.order_date,
        order_lines.sku,
        product_categories.product_name,
        product_categories.category_id,
        product_categories.category_name_zh,
        product_categories.category_name_en,
        order_lines.quantity,
        order_lines.unit_price_amount,
        order_lines.line_amount,
        order_lines.currency_code,
        coalesce(
            order_lines.line_amount_reporting,
            cast(
                order_lines.line_amount
                * {{ rate_to_reporting(
                    'order_lines.currency_code', 'exchange_rates.rate_to_reporting'
                ) }} as decimal(18, 2)
            )
        ) as line_amount_reporting,
        order_lines.is_placed
    from order_lines
    left join product_categories on order_lines.sku = product_categories.sku
    left join exchange_rates
        on
            order_lines.currency_code = exchange_rates.currency_code
            and {{ dbt.date_trunc('month', 'order_lines.ordered_at') }}
            = exchange_rates.rate_month
)

select * from final
