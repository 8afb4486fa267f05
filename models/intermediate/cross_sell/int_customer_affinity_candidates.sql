-- Products each customer has not bought, proposed by the SKU rules of what they bought,
-- with the purchase and the rule behind each. Bounded: at most var
-- cross_sell_max_antecedents_per_customer SKUs per customer x var
-- cross_sell_max_consequents_per_antecedent rules per SKU, never customers x products.
{%- set max_antecedents = var('cross_sell_max_antecedents_per_customer') %}
{%- set max_consequents = var('cross_sell_max_consequents_per_antecedent') %}

with

customer_skus as (
    select * from {{ ref('int_customer_skus_ranked') }}
),

pairs as (
    select * from {{ ref('int_basket_pairs_scored') }}
    where item_level = 'sku' and lift > 1
),

products as (
    select * from {{ ref('stg_catalog__products') }}
    where is_active
),

ranked_rules as (
    select
        pairs.antecedent_id,
        pairs.consequent_id,
        pairs.confidence,
        pairs.lift,
        row_number() over (
            partition by pairs.antecedent_id
            order by pairs.confidence desc, pairs.lift desc, pairs.consequent_id asc
        ) as consequent_rank
    from pairs
    inner join products on pairs.consequent_id = products.sku
),

candidate_rules as (
    select
        customer_skus.customer_id,
        ranked_rules.consequent_id as sku,
        customer_skus.sku as trigger_sku,
        customer_skus.latest_order_id as trigger_order_id,
        customer_skus.latest_order_date as trigger_order_date,
        ranked_rules.confidence,
        ranked_rules.lift
    from customer_skus
    inner join ranked_rules
        on
            customer_skus.sku = ranked_rules.antecedent_id
            and ranked_rules.consequent_rank <= {{ max_consequents }}
    where customer_skus.recency_rank <= {{ max_antecedents }}
),

not_bought as (
    select
        candidate_rules.customer_id,
        candidate_rules.sku,
        candidate_rules.trigger_sku,
        candidate_rules.trigger_order_id,
        candidate_rules.trigger_order_date,
        candidate_rules.confidence,
        candidate_rules.lift
    from candidate_rules
    left join customer_skus
        on
            candidate_rules.customer_id = customer_skus.customer_id
            and candidate_rules.sku = customer_skus.sku
    where customer_skus.sku is null
),

-- Noisy-or of the candidate's rules: 1 - product of (1 - confidence), as exp of a sum of
-- logs (one rule gives its own confidence; a rule of confidence 1 makes the score 1),
-- rounded to 10 decimals so that summation order never reorders equal scores.
scores as (
    select
        customer_id,
        sku,
        count(*) as supporting_purchase_count,
        {{ round_double(
            "case
                when count(*) = 1 then max(confidence)
                when max(confidence) >= 1 then 1.0
                else 1 - exp(sum(ln(1 - confidence)))
            end",
            10
        ) }} as affinity_score
    from not_bought
    group by customer_id, sku
),

-- The strongest rule (confidence, then lift) is the candidate's reason; ties go to the
-- latest purchase, then the lower SKU.
strongest_rules as (
    select
        customer_id,
        sku,
        trigger_sku,
        trigger_order_id,
        trigger_order_date,
        confidence,
        lift,
        row_number() over (
            partition by customer_id, sku
            order by confidence desc, lift desc, trigger_order_date desc, trigger_sku asc
        ) as rule_rank
    from not_bought
),

final as (
    select
        strongest_rules.customer_id,
        strongest_rules.sku,
        cast(scores.affinity_score as double precision) as affinity_score,
        cast(scores.supporting_purchase_count as integer) as supporting_purchase_count,
        strongest_rules.trigger_sku,
        strongest_rules.trigger_order_id,
        strongest_rules.trigger_order_date,
        strongest_rules.confidence as rule_confidence,
        strongest_rules.lift as rule_lift
    from strongest_rules
    inner join scores
        on
            strongest_rules.customer_id = scores.customer_id
            and strongest_rules.sku = scores.sku
    where strongest_rules.rule_rank = 1
)

select * from final
