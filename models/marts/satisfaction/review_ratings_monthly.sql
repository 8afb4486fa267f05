-- Review ratings by month (business date of the review), channel and top-level category up
-- to the as-of date: volume, average stars, good-review and negative-review rates.
with

reviews as (
    select * from {{ ref('int_reviews_dated') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

categorised as (
    select
        cast({{ dbt.date_trunc('month', 'reviews.review_date') }} as date) as review_month,
        reviews.channel,
        products.top_category_id as category_id,
        products.top_category_name_zh as category_name_zh,
        products.top_category_name_en as category_name_en,
        reviews.rating,
        reviews.is_good_review,
        reviews.is_negative_review
    from reviews
    left join products on reviews.sku = products.sku
),

counted as (
    select
        review_month,
        channel,
        category_id,
        category_name_zh,
        category_name_en,
        count(*) as reviews,
        sum(rating) as rating_sum,
        sum(case when is_good_review then 1 else 0 end) as good_reviews,
        sum(case when is_negative_review then 1 else 0 end) as negative_reviews
    from categorised
    group by review_month, channel, category_id, category_name_zh, category_name_en
),

final as (
    select
        cast(review_month as date) as month, -- noqa: RF04
        cast(channel as varchar) as channel,
        cast(category_id as varchar) as category_id,
        cast(category_name_zh as varchar) as category_name_zh,
        cast(category_name_en as varchar) as category_name_en,
        cast(reviews as bigint) as reviews,
        cast(rating_sum as bigint) as rating_sum,
        cast(rating_sum * 1.0 / reviews as decimal(4, 2)) as average_rating,
        cast(good_reviews as bigint) as good_reviews,
        cast(good_reviews * 1.0 / reviews as decimal(10, 4)) as good_review_rate,
        cast(negative_reviews as bigint) as negative_reviews,
        cast(negative_reviews * 1.0 / reviews as decimal(10, 4)) as negative_review_rate
    from counted
)

select * from final
