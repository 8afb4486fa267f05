-- Catalogue categories, one row per category id, with their parent.
with

triaged as (
    select * from {{ ref('base_catalog__categories') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_category_id as category_id,
        nullif(trim(category_name_zh), '') as category_name_zh,
        nullif(trim(category_name_en), '') as category_name_en,
        nullif(trim(parent_category_id), '') as parent_category_id,
        nullif(trim(parent_category_id), '') is null as is_top_level,
        _source_file as source_file
    from triaged
)

select * from final
