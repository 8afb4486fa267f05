-- Product reviews up to the as-of date (business date of the review), with that date and
-- whether the review is good (4-5 stars) or negative (at most var
-- `negative_review_max_rating` stars).
with

reviews as (
    select * from {{ ref('stg_reviews__product_reviews') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

dated as (
    select
        reviews.*,
        cast({{ utc_to_local('reviews.reviewed_at', var('business_timezone')) }} as date)
            as review_date
    from reviews
),

final as (
    select
        dated.review_id,
        dated.source_system as channel,
        dated.source_system || ':' || dated.order_ref as order_id,
        dated.sku,
        dated.rating,
        dated.is_good_review,
        dated.rating <= {{ var('negative_review_max_rating') }} as is_negative_review,
        dated.review_text,
        dated.reviewed_at,
        dated.review_date
    from dated
    cross join as_of
    where dated.review_date <= as_of.as_of_date
)

select * from final
