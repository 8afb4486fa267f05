-- Review ratings of every reviewed product (SKU) up to the as-of date: volume, average,
-- distribution of stars, good-review and negative-review rates, with the product's names.
with

reviews as (
    select * from {{ ref('int_reviews_dated') }}
    where sku is not null
),

products as (
    select * from {{ ref('dim_products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

per_product as (
    select
        sku,
        count(*) as reviews,
        avg(rating) as average_rating,
        {%- for stars in range(1, 6) %}
            sum(case when rating = {{ stars }} then 1 else 0 end) as rating_{{ stars }}_reviews,
        {%- endfor %}
        sum(case when is_good_review then 1 else 0 end) as good_reviews,
        sum(case when is_negative_review then 1 else 0 end) as negative_reviews,
        min(review_date) as first_review_date,
        max(review_date) as last_review_date
    from reviews
    group by sku
),

final as (
    select
        cast(per_product.sku as varchar) as sku,
        cast(products.product_name as varchar) as product_name,
        cast(products.top_category_id as varchar) as category_id,
        cast(products.top_category_name_zh as varchar) as category_name_zh,
        cast(products.top_category_name_en as varchar) as category_name_en,
        cast(per_product.reviews as bigint) as reviews,
        cast(per_product.average_rating as decimal(4, 2)) as average_rating,
        {%- for stars in range(1, 6) %}
            cast(per_product.rating_{{ stars }}_reviews as bigint) as rating_{{ stars }}_reviews,
        {%- endfor %}
        cast(per_product.good_reviews as bigint) as good_reviews,
        cast(per_product.good_reviews * 1.0 / per_product.reviews as decimal(10, 4))
            as good_review_rate,
        cast(
            {{ wilson_lower_bound('per_product.good_reviews', 'per_product.reviews') }}
            as decimal(10, 4)
        ) as good_review_rate_lower_bound,
        cast(per_product.negative_reviews as bigint) as negative_reviews,
        cast(per_product.negative_reviews * 1.0 / per_product.reviews as decimal(10, 4))
            as negative_review_rate,
        cast(per_product.first_review_date as date) as first_review_date,
        cast(per_product.last_review_date as date) as last_review_date,
        cast(as_of.as_of_date as date) as as_of_date
    from per_product
    cross join as_of
    left join products on per_product.sku = products.sku
)

select * from final
