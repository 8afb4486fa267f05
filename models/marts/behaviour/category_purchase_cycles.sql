-- Purchase cycle of every catalogue category (top level and subcategory) up to the as-of
-- date: how many customers bought it, how many came back for it on a later day, and the
-- distribution of the days between a customer's consecutive purchase days of it.
with

purchase_days as (
    select * from {{ ref('int_category_purchase_days_sequenced') }}
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

customer_facts as (
    select * from {{ ref('int_customer_facts') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

buying_customers as (
    select count(*) as customers
    from customer_facts
    where order_count > 0
),

category_buyers as (
    select
        category_level,
        category_id,
        count(case when purchase_day_number = 1 then customer_id end) as buyers,
        count(case when purchase_day_number = 2 then customer_id end) as repeat_buyers,
        count(*) as purchase_days
    from purchase_days
    group by category_level, category_id
),

category_gaps as (
    select
        category_id,
        count(*) as gaps,
        avg(days_since_previous_purchase) as mean_days_between_purchases,
        percentile_cont(0.25) within group (order by days_since_previous_purchase)
            as p25_days_between_purchases,
        percentile_cont(0.5) within group (order by days_since_previous_purchase)
            as median_days_between_purchases,
        percentile_cont(0.75) within group (order by days_since_previous_purchase)
            as p75_days_between_purchases
    from purchase_days
    where days_since_previous_purchase is not null
    group by category_id
),

final as (
    select
        cast(category_buyers.category_id as varchar) as category_id,
        cast(category_buyers.category_level as varchar) as category_level,
        cast(categories.parent_category_id as varchar) as parent_category_id,
        cast(categories.category_name_zh as varchar) as category_name_zh,
        cast(categories.category_name_en as varchar) as category_name_en,
        cast(category_buyers.buyers as integer) as buyers,
        cast(
            category_buyers.buyers * 1.0 / nullif(buying_customers.customers, 0)
            as decimal(10, 6)
        ) as buyer_share,
        cast(category_buyers.repeat_buyers as integer) as repeat_buyers,
        cast(category_buyers.repeat_buyers * 1.0 / category_buyers.buyers as decimal(10, 6))
            as repurchase_rate,
        cast(category_buyers.purchase_days as integer) as purchase_days,
        cast(coalesce(category_gaps.gaps, 0) as integer) as gaps,
        cast(category_gaps.mean_days_between_purchases as decimal(10, 2))
            as mean_days_between_purchases,
        cast(category_gaps.p25_days_between_purchases as decimal(10, 2))
            as p25_days_between_purchases,
        cast(category_gaps.median_days_between_purchases as decimal(10, 2))
            as median_days_between_purchases,
        cast(category_gaps.p75_days_between_purchases as decimal(10, 2))
            as p75_days_between_purchases,
        cast(as_of.as_of_date as date) as as_of_date
    from category_buyers
    cross join buying_customers
    cross join as_of
    left join categories on category_buyers.category_id = categories.category_id
    left join category_gaps on category_buyers.category_id = category_gaps.category_id
)

select * from final
