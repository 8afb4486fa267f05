-- Store receipts as orders: the kept lines of each receipt summed up. A receipt whose
-- lines were all quarantined has no order.
with

sales as (
    select * from {{ ref('stg_pos__sales') }}
),

final as (
    select
        order_id,
        store_id,
        min(sold_at) as ordered_at,
        max(loyalty_card) as loyalty_card,
        max(case when not is_placeholder_phone then customer_phone end) as customer_phone,
        max(case when is_placeholder_phone then customer_phone end) as placeholder_phone,
        max(currency_code) as currency_code,
        sum(line_amount) as order_total_amount,
        sum(line_amount_reporting) as order_total_reporting,
        count(*) as line_count
    from sales
    group by order_id, store_id
)

select * from final
