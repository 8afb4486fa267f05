-- Product reviews, one row per review id; a good review has 4 or 5 stars.
with

triaged as (
    select * from {{ ref('base_reviews__product_reviews') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_review_id as review_id,
        lower(nullif(trim(source_system), '')) as source_system,
        nullif(trim(order_ref), '') as order_ref,
        nullif(trim(sku), '') as sku,
        parsed_rating as rating,
        parsed_rating >= 4 as is_good_review,
        nullif(trim(content), '') as review_text,
        parsed_created_at as reviewed_at,
        _source_file as source_file
    from triaged
)

select * from final
