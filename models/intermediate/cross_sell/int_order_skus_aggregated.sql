-- One row per placed order and SKU up to the as-of date (lines of one SKU summed, lines
-- without units dropped): the baskets of the affinity models and the purchases that
-- second-purchase paths and recommendations start from. Anonymous orders are kept.
with

order_items as (
    select * from {{ ref('int_order_items_resolved') }}
    where is_placed and quantity > 0
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

order_skus as (
    select
        order_items.order_id,
        order_items.customer_id,
        order_items.ordered_at,
        order_items.order_date,
        order_items.sku,
        order_items.category_id as top_category_id,
        sum(order_items.quantity) as units,
        sum(order_items.line_amount_reporting) as spend_reporting
    from order_items
    cross join as_of
    where order_items.order_date <= as_of.as_of_date
    group by
        order_items.order_id,
        order_items.customer_id,
        order_items.ordered_at,
        order_items.order_date,
        order_items.sku,
        order_items.category_id
),

basket_sizes as (
    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        sku,
        top_category_id,
        units,
        spend_reporting,
        count(*) over (partition by order_id) as basket_sku_count
    from order_skus
),

final as (
    select
        basket_sizes.order_id,
        basket_sizes.customer_id,
        basket_sizes.ordered_at,
        basket_sizes.order_date,
        basket_sizes.sku,
        products.category_id,
        basket_sizes.top_category_id,
        cast(basket_sizes.units as bigint) as units,
        cast(basket_sizes.spend_reporting as decimal(18, 2)) as spend_reporting,
        cast(basket_sizes.basket_sku_count as integer) as basket_sku_count,
        basket_sizes.basket_sku_count <= {{ var('cross_sell_max_basket_skus') }}
            as is_affinity_basket
    from basket_sizes
    left join products on basket_sizes.sku = products.sku
)

select * from final
