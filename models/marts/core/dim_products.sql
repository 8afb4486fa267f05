-- One row per product (SKU) with its category and top-level category.
with

products as (
    select * from {{ ref('stg_catalog__products') }}
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

final as (
    select
        products.sku,
        products.product_name,
        products.brand,
        products.category_id,
        categories.category_name_zh,
        categories.category_name_en,
        coalesce(parents.category_id, categories.category_id) as top_category_id,
        coalesce(parents.category_name_zh, categories.category_name_zh)
            as top_category_name_zh,
        coalesce(parents.category_name_en, categories.category_name_en)
            as top_category_name_en,
        products.currency_code,
        cast(products.list_price_amount as decimal(18, 2)) as list_price_amount,
        products.launched_date,
        products.product_status,
        products.is_active
    from products
    left join categories on products.category_id = categories.category_id
    left join categories as parents on categories.parent_category_id = parents.category_id
)

select * from final
