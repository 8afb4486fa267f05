-- The habits of every customer with a placed order up to the as-of date, each the mode
-- over their placed orders: channel (ties: the channel ordered from most recently), local
-- hour and ISO weekday (ties: the lowest), and ship-to / store province and city (ties:
-- the most recent).
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where customer_id is not null and is_placed
),

order_times as (
    select
        customer_id,
        ordered_at,
        extract(hour from ordered_at_local) as purchase_hour,
        {{ iso_weekday('order_date') }} as purchase_weekday
    from orders
),

channel_counts as (
    select
        customer_id,
        channel,
        count(*) as order_count,
        max(ordered_at) as last_ordered_at
    from orders
    group by customer_id, channel
),

hour_counts as (
    select
        customer_id,
        purchase_hour,
        count(*) as order_count
    from order_times
    group by customer_id, purchase_hour
),

weekday_counts as (
    select
        customer_id,
        purchase_weekday,
        count(*) as order_count
    from order_times
    group by customer_id, purchase_weekday
),

location_counts as (
    select
        customer_id,
        province,
        city,
        count(*) as order_count,
        max(ordered_at) as last_ordered_at
    from orders
    where province is not null
    group by customer_id, province, city
),

ranked as (
    select
        customer_id,
        'channel' as preference,
        channel as value_text,
        row_number() over (
            partition by customer_id
            order by order_count desc, last_ordered_at desc, channel asc
        ) as preference_rank
    from channel_counts
    union all
    select
        customer_id,
        'hour' as preference,
        cast(purchase_hour as varchar) as value_text,
        row_number() over (
            partition by customer_id
            order by order_count desc, purchase_hour asc
        ) as preference_rank
    from hour_counts
    union all
    select
        customer_id,
        'weekday' as preference,
        cast(purchase_weekday as varchar) as value_text,
        row_number() over (
            partition by customer_id
            order by order_count desc, purchase_weekday asc
        ) as preference_rank
    from weekday_counts
),

locations_ranked as (
    select
        customer_id,
        province,
        city,
        row_number() over (
            partition by customer_id
            order by order_count desc, last_ordered_at desc, province asc, city asc
        ) as preference_rank
    from location_counts
),

habits as (
    select
        customer_id,
        max(case when preference = 'channel' then value_text end) as preferred_channel,
        cast(max(case when preference = 'hour' then value_text end) as integer)
            as preferred_purchase_hour,
        cast(max(case when preference = 'weekday' then value_text end) as integer)
            as preferred_purchase_weekday
    from ranked
    where preference_rank = 1
    group by customer_id
),

final as (
    select
        habits.customer_id,
        habits.preferred_channel,
        habits.preferred_purchase_hour,
        habits.preferred_purchase_weekday,
        locations_ranked.province as order_province,
        locations_ranked.city as order_city
    from habits
    left join locations_ranked
        on
            habits.customer_id = locations_ranked.customer_id
            and locations_ranked.preference_rank = 1
)

select * from final
