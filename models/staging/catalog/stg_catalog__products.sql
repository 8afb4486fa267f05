-- Catalogue products, one row per SKU; list prices are in CNY.
with

triaged as (
    select * from {{ ref('base_catalog__products') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_sku as sku,
        nullif(trim(product_name), '') as product_name,
        nullif(trim(category_id), '') as category_id,
        nullif(trim(brand), '') as brand,
        'CNY' as currency_code,
        list_price_amount,
        launched_date,
        lower(nullif(trim(status), '')) as product_status,
        coalesce(lower(trim(status)) = 'active', false) as is_active,
        _source_file as source_file
    from triaged
)

select * from final
