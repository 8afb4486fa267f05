-- One row per line of a real order up to the as-of date, with product and category.
with

order_items as (
    select * from {{ ref('int_order_items_resolved') }}
),

final as (
    select
        order_line_id,
        order_id,
        customer_id,
        channel,
        ordered_at,
        order_date,
        is_placed,
        sku,
        product_name,
        category_id,
        category_name_zh,
        category_name_en,
        cast(quantity as integer) as quantity,
        currency_code,
        cast(unit_price_amount as decimal(18, 2)) as unit_price_amount,
        cast(line_amount as decimal(18, 2)) as line_amount,
        cast(line_amount_reporting as decimal(18, 2)) as line_amount_reporting,
        '{{ var("reporting_currency") }}' as reporting_currency
    from order_items
)

select * from final
