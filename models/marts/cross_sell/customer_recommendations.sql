-- Top-N products per customer (var cross_sell_recommendations_per_customer) that they have
-- not bought, as of the as-of date: affinity candidates first, by score, then best sellers
-- of their top category, then overall; with the purchase and rule behind each.
with

affinity_candidates as (
    select * from {{ ref('int_customer_affinity_candidates') }}
),

fallback_candidates as (
    select * from {{ ref('int_customer_fallback_candidates') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

candidates as (
    select
        customer_id,
        sku,
        'affinity' as recommendation_source,
        1 as source_priority,
        affinity_score,
        supporting_purchase_count,
        trigger_sku,
        trigger_order_id,
        trigger_order_date,
        rule_confidence,
        rule_lift,
        cast(null as integer) as best_seller_rank
    from affinity_candidates
    union all
    select
        customer_id,
        sku,
        recommendation_source,
        case when recommendation_source = 'category_best_seller' then 2 else 3 end
            as source_priority,
        cast(null as double precision) as affinity_score,
        cast(null as integer) as supporting_purchase_count,
        cast(null as varchar) as trigger_sku,
        cast(null as varchar) as trigger_order_id,
        cast(null as date) as trigger_order_date,
        cast(null as double precision) as rule_confidence,
        cast(null as double precision) as rule_lift,
        best_seller_rank
    from fallback_candidates
),

-- Within a source every row has its ranking columns, so nulls never meet in an order by.
ranked as (
    select
        *,
        row_number() over (
            partition by customer_id
            order by
                source_priority asc,
                affinity_score desc,
                supporting_purchase_count desc,
                rule_lift desc,
                best_seller_rank asc,
                sku asc
        ) as recommendation_rank
    from candidates
),

final as (
    select
        cast(ranked.customer_id as varchar) as customer_id,
        cast(ranked.recommendation_rank as integer) as recommendation_rank,
        cast(ranked.sku as varchar) as sku,
        cast(products.product_name as varchar) as product_name,
        cast(products.category_id as varchar) as category_id,
        cast(products.category_name_zh as varchar) as category_name_zh,
        cast(products.category_name_en as varchar) as category_name_en,
        cast(products.top_category_id as varchar) as top_category_id,
        cast(products.top_category_name_zh as varchar) as top_category_name_zh,
        cast(products.top_category_name_en as varchar) as top_category_name_en,
        cast(ranked.recommendation_source as varchar) as recommendation_source,
        cast(ranked.affinity_score as double precision) as affinity_score,
        cast(ranked.supporting_purchase_count as integer) as supporting_purchase_count,
        cast(ranked.trigger_sku as varchar) as trigger_sku,
        cast(ranked.trigger_order_id as varchar) as trigger_order_id,
        cast(ranked.trigger_order_date as date) as trigger_order_date,
        cast(ranked.rule_confidence as double precision) as rule_confidence,
        cast(ranked.rule_lift as double precision) as rule_lift,
        cast(ranked.best_seller_rank as integer) as best_seller_rank,
        cast(as_of.as_of_date as date) as as_of_date
    from ranked
    cross join as_of
    inner join products on ranked.sku = products.sku
    where ranked.recommendation_rank <= {{ var('cross_sell_recommendations_per_customer') }}
)

select * from final
