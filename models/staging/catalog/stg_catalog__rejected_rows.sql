-- Quarantine of the catalogue feed: every rejected raw row with its reason code and the
-- raw values as received, for the data owner to fix at the source.
with

products as (
    select * from {{ ref('base_catalog__products') }}
    where row_status = 'rejected'
),

categories as (
    select * from {{ ref('base_catalog__categories') }}
    where row_status = 'rejected'
),

final as (
    select
        'catalog.products' as source_name,
        reject_reason,
        sku as record_key,
        {{ raw_record_json(['sku', 'product_name', 'category_id', 'brand', 'list_price',
            'launched_on', 'status']) }} as raw_record,
        _source_file as source_file
    from products
    union all
    select
        'catalog.categories' as source_name,
        reject_reason,
        category_id as record_key,
        {{ raw_record_json(['category_id', 'category_name_zh', 'category_name_en',
            'parent_category_id']) }} as raw_record,
        _source_file as source_file
    from categories
)

select * from final
