-- Category affinity as of the as-of date, for thin data and category-level offers: for
-- each ordered pair of leaf categories, and of top-level categories, bought in the same
-- order: baskets with both, support, confidence and lift.
with

pairs as (
    select * from {{ ref('int_basket_pairs_scored') }}
    where item_level in ('category', 'top_category')
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

final as (
    select
        cast(
            case when pairs.item_level = 'category' then 'leaf' else 'top' end as varchar
        ) as category_level,
        cast(pairs.antecedent_id as varchar) as antecedent_category_id,
        cast(antecedents.category_name_zh as varchar) as antecedent_category_name_zh,
        cast(antecedents.category_name_en as varchar) as antecedent_category_name_en,
        cast(
            coalesce(antecedents.parent_category_id, pairs.antecedent_id) as varchar
        ) as antecedent_top_category_id,
        cast(pairs.consequent_id as varchar) as consequent_category_id,
        cast(consequents.category_name_zh as varchar) as consequent_category_name_zh,
        cast(consequents.category_name_en as varchar) as consequent_category_name_en,
        cast(
            coalesce(consequents.parent_category_id, pairs.consequent_id) as varchar
        ) as consequent_top_category_id,
        cast(
            coalesce(antecedents.parent_category_id, pairs.antecedent_id)
            = coalesce(consequents.parent_category_id, pairs.consequent_id) as boolean
        ) as is_same_top_category,
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
    left join categories as antecedents on pairs.antecedent_id = antecedents.category_id
    left join categories as consequents on pairs.consequent_id = consequents.category_id
)

select * from final
