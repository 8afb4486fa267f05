-- Best sellers to fill the recommendations of customers with fewer affinity candidates
-- than var cross_sell_recommendations_per_customer: those of their top category, then
-- overall, never a product they bought or that affinity already proposes. Bounded: each
-- customer to fill meets at most 2 x var cross_sell_best_seller_pool best sellers.
with

customers as (
    select * from {{ ref('int_customer_item_facts') }}
),

affinity_candidates as (
    select * from {{ ref('int_customer_affinity_candidates') }}
),

best_sellers as (
    select * from {{ ref('int_best_sellers_ranked') }}
),

bought as (
    select * from {{ ref('int_customer_skus_ranked') }}
),

affinity_counts as (
    select
        customer_id,
        count(*) as candidate_count
    from affinity_candidates
    group by customer_id
),

customers_to_fill as (
    select
        customers.customer_id,
        customers.top_category_id
    from customers
    left join affinity_counts on customers.customer_id = affinity_counts.customer_id
    where
        coalesce(affinity_counts.candidate_count, 0)
        < {{ var('cross_sell_recommendations_per_customer') }}
),

pooled as (
    select
        customers_to_fill.customer_id,
        best_sellers.sku,
        best_sellers.best_seller_scope,
        best_sellers.best_seller_rank
    from customers_to_fill
    inner join best_sellers
        on
            customers_to_fill.top_category_id = best_sellers.top_category_id
            and best_sellers.best_seller_scope = 'category'
    union all
    select
        customers_to_fill.customer_id,
        best_sellers.sku,
        best_sellers.best_seller_scope,
        best_sellers.best_seller_rank
    from customers_to_fill
    inner join best_sellers on best_sellers.best_seller_scope = 'overall'
),

not_bought as (
    select
        pooled.customer_id,
        pooled.sku,
        pooled.best_seller_scope,
        pooled.best_seller_rank,
        row_number() over (
            partition by pooled.customer_id, pooled.sku
            order by case when pooled.best_seller_scope = 'category' then 1 else 2 end
        ) as scope_rank
    from pooled
    left join bought
        on
            pooled.customer_id = bought.customer_id
            and pooled.sku = bought.sku
    left join affinity_candidates
        on
            pooled.customer_id = affinity_candidates.customer_id
            and pooled.sku = affinity_candidates.sku
    where bought.sku is null and affinity_candidates.sku is null
),

-- Only the first N per customer can make a list of N.
ranked as (
    select
        customer_id,
        sku,
        best_seller_scope,
        best_seller_rank,
        row_number() over (
            partition by customer_id
            order by
                case when best_seller_scope = 'category' then 1 else 2 end,
                best_seller_rank asc,
                sku asc
        ) as fill_rank
    from not_bought
    where scope_rank = 1
),

final as (
    select
        customer_id,
        sku,
        best_seller_scope || '_best_seller' as recommendation_source,
        best_seller_rank
    from ranked
    where fill_rank <= {{ var('cross_sell_recommendations_per_customer') }}
)

select * from final
