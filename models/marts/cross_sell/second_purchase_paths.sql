-- Second-purchase paths as of the as-of date: from the main top-level category of
-- customers' first purchase day to that of their second, with how many customers took
-- each path, their share and the days it took.
with

purchase_paths as (
    select * from {{ ref('int_customer_purchase_paths_categorized') }}
),

categories as (
    select * from {{ ref('stg_catalog__categories') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

first_category_totals as (
    select
        first_category_id,
        count(*) as first_category_customers,
        count(second_category_id) as first_category_repeat_customers
    from purchase_paths
    group by first_category_id
),

paths as (
    select
        first_category_id,
        second_category_id,
        count(*) as path_customers,
        percentile_cont(0.5) within group (order by days_to_second_purchase)
            as median_days_to_second_purchase,
        avg(days_to_second_purchase) as mean_days_to_second_purchase
    from purchase_paths
    where second_category_id is not null
    group by first_category_id, second_category_id
),

final as (
    select
        cast(paths.first_category_id as varchar) as first_category_id,
        cast(firsts.category_name_zh as varchar) as first_category_name_zh,
        cast(firsts.category_name_en as varchar) as first_category_name_en,
        cast(paths.second_category_id as varchar) as second_category_id,
        cast(seconds.category_name_zh as varchar) as second_category_name_zh,
        cast(seconds.category_name_en as varchar) as second_category_name_en,
        cast(paths.first_category_id = paths.second_category_id as boolean)
            as is_same_category,
        cast(totals.first_category_customers as bigint) as first_category_customers,
        cast(totals.first_category_repeat_customers as bigint)
            as first_category_repeat_customers,
        cast(
            cast(totals.first_category_repeat_customers as double precision)
            / totals.first_category_customers as decimal(10, 4)
        ) as first_category_repeat_rate,
        cast(paths.path_customers as bigint) as path_customers,
        cast(
            cast(paths.path_customers as double precision)
            / totals.first_category_repeat_customers as decimal(10, 4)
        ) as path_share,
        cast(
            cast(paths.path_customers as double precision)
            / totals.first_category_customers as decimal(10, 4)
        ) as first_category_customer_share,
        cast(
            row_number() over (
                partition by paths.first_category_id
                order by paths.path_customers desc, paths.second_category_id asc
            ) as integer
        ) as path_rank,
        cast(paths.median_days_to_second_purchase as decimal(10, 1))
            as median_days_to_second_purchase,
        cast(paths.mean_days_to_second_purchase as decimal(10, 1))
            as mean_days_to_second_purchase,
        cast(as_of.as_of_date as date) as as_of_date
    from paths
    cross join as_of
    inner join first_category_totals as totals
        on paths.first_category_id = totals.first_category_id
    left join categories as firsts on paths.first_category_id = firsts.category_id
    left join categories as seconds on paths.second_category_id = seconds.category_id
)

select * from final
