-- Quarantine of the review feed: every rejected raw row with its reason code and the
-- raw values as received, for the data owner to fix at the source.
with

product_reviews as (
    select * from {{ ref('base_reviews__product_reviews') }}
    where row_status = 'rejected'
),

final as (
    select
        'reviews.product_reviews' as source_name,
        reject_reason,
        review_id as record_key,
        {{ raw_record_json(['review_id', 'source_system', 'order_ref', 'sku', 'rating',
            'created_at']) }} as raw_record,
        _source_file as source_file
    from product_reviews
)

select * from final
