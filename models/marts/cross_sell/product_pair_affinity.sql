-- Product affinity as of the as-of date: for each ordered pair of products bought in the
-- same order (antecedent -> consequent), baskets with both, support, confidence and lift,
-- with both products' names and categories. Only pairs above the support minimums.
with

pairs as (
    select * from {{ ref('int_basket_pairs_scored') }}
    where item_level = 'sku'
),

products as (
    select * from {{ ref('dim_products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

final as (
    select
        cast(pairs.antecedent_id as varchar) as antecedent_sku,
        cast(antecedents.product_name as varchar) as antecedent_product_name,
        cast(antecedents.category_id as varchar) as antecedent_category_id,
        cast(antecedents.category_name_zh as varchar) as antecedent_category_name_zh,
        cast(antecedents.category_name_en as varchar) as antecedent_category_name_en,
        cast(antecedents.top_category_id as varchar) as antecedent_top_category_id,
        cast(pairs.consequent_id as varchar) as consequent_sku,
        cast(consequents.product_name as varchar) as consequent_product_name,
        cast(consequents.category_id as varchar) as consequent_category_id,
        cast(consequents.category_name_zh as varchar) as consequent_category_name_zh,
        cast(consequents.category_name_en as varchar) as consequent_category_name_en,
        cast(consequents.top_category_id as varchar) as consequent_top_category_id,
        cast(coalesce(consequents.is_active, false) as boolean) as is_consequent_active,
        cast(
            coalesce(antecedents.category_id = consequents.category_id, false) as boolean
        ) as is_same_category,
        cast(pairs.basket_count as bigint) as basket_count,
        cast(pairs.antecedent_basket_count as bigint) as antecedent_basket_count,
        cast(pairs.consequent_basket_count as bigint) as consequent_basket_count,
        cast(pairs.pair_basket_count as bigint) as pair_basket_count,
        cast(pairs.pair_support as double precision) as pair_support,
        cast(pairs.antecedent_support as double precision) as antecedent_support,
        cast(pairs.consequent_support as double precision) as consequent_support,
        cast(pairs.confidence as double precision) as confidence,
        cast(pairs.lift as double precision) as lift,
        cast(as_of.as_of_date as date) as as_of_date
    from pairs
    cross join as_of
    left join products as antecedents on pairs.antecedent_id = antecedents.sku
    left join products as consequents on pairs.consequent_id = consequents.sku
)

select * from final
