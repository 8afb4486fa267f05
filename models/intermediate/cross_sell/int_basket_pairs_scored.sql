-- Association rules antecedent -> consequent between the items of the affinity baskets, at
-- three levels (SKU, leaf category, top-level category): baskets with both, support,
-- confidence and lift. Only pairs with enough baskets and support are kept.
with

order_skus as (
    select * from {{ ref('int_order_skus_aggregated') }}
    where is_affinity_basket
),

basket_items as (
    select
        order_id,
        'sku' as item_level,
        sku as item_id
    from order_skus
    union all
    select distinct
        order_id,
        'category' as item_level,
        category_id as item_id
    from order_skus
    where category_id is not null
    union all
    select distinct
        order_id,
        'top_category' as item_level,
        top_category_id as item_id
    from order_skus
    where top_category_id is not null
),

basket_totals as (
    select count(distinct order_id) as basket_count
    from order_skus
),

item_baskets as (
    select
        item_level,
        item_id,
        count(*) as item_basket_count
    from basket_items
    group by item_level, item_id
),

-- Bounded self-join: a basket has at most var cross_sell_max_basket_skus items, so it
-- gives at most n(n-1)/2 unordered pairs here (item a < item b); mirrored below.
unordered_pairs as (
    select
        first_items.item_level,
        first_items.item_id as first_item_id,
        second_items.item_id as second_item_id,
        count(*) as pair_basket_count
    from basket_items as first_items
    inner join basket_items as second_items
        on
            first_items.order_id = second_items.order_id
            and first_items.item_level = second_items.item_level
            and first_items.item_id < second_items.item_id
    group by first_items.item_level, first_items.item_id, second_items.item_id
    having count(*) >= {{ var('cross_sell_min_pair_baskets') }}
),

ordered_pairs as (
    select
        item_level,
        first_item_id as antecedent_id,
        second_item_id as consequent_id,
        pair_basket_count
    from unordered_pairs
    union all
    select
        item_level,
        second_item_id as antecedent_id,
        first_item_id as consequent_id,
        pair_basket_count
    from unordered_pairs
),

counted as (
    select
        ordered_pairs.item_level,
        ordered_pairs.antecedent_id,
        ordered_pairs.consequent_id,
        basket_totals.basket_count,
        antecedents.item_basket_count as antecedent_basket_count,
        consequents.item_basket_count as consequent_basket_count,
        ordered_pairs.pair_basket_count
    from ordered_pairs
    cross join basket_totals
    inner join item_baskets as antecedents
        on
            ordered_pairs.item_level = antecedents.item_level
            and ordered_pairs.antecedent_id = antecedents.item_id
    inner join item_baskets as consequents
        on
            ordered_pairs.item_level = consequents.item_level
            and ordered_pairs.consequent_id = consequents.item_id
),

final as (
    select
        item_level,
        antecedent_id,
        consequent_id,
        cast(basket_count as bigint) as basket_count,
        cast(antecedent_basket_count as bigint) as antecedent_basket_count,
        cast(consequent_basket_count as bigint) as consequent_basket_count,
        cast(pair_basket_count as bigint) as pair_basket_count,
        cast(pair_basket_count as double precision) / basket_count as pair_support,
        cast(antecedent_basket_count as double precision) / basket_count as antecedent_support,
        cast(consequent_basket_count as double precision) / basket_count as consequent_support,
        cast(pair_basket_count as double precision) / antecedent_basket_count as confidence,
        cast(pair_basket_count as double precision) * basket_count
        / (cast(antecedent_basket_count as double precision) * consequent_basket_count) as lift
    from counted
    where
        cast(pair_basket_count as double precision) / basket_count
        >= {{ var('cross_sell_min_support') }}
)

select * from final
