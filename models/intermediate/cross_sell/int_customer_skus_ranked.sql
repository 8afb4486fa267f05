-- Every product each customer bought on a placed order up to the as-of date, once, with
-- the latest order holding it, ranked by recency (1 = bought most recently). What
-- recommendations start from (antecedents) and must never offer again.
with

order_skus as (
    select * from {{ ref('int_order_skus_aggregated') }}
    where customer_id is not null
),

purchases as (
    select
        customer_id,
        sku,
        order_id,
        ordered_at,
        order_date,
        count(*) over (partition by customer_id, sku) as order_count,
        row_number() over (
            partition by customer_id, sku
            order by order_date desc, ordered_at desc, order_id desc
        ) as purchase_recency
    from order_skus
),

final as (
    select
        customer_id,
        sku,
        order_id as latest_order_id,
        order_date as latest_order_date,
        cast(order_count as integer) as order_count,
        cast(
            row_number() over (
                partition by customer_id
                order by ordered_at desc, order_id desc, sku asc
            ) as integer
        ) as recency_rank
    from purchases
    where purchase_recency = 1
)

select * from final
