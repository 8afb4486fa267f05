-- `browsed_not_bought_24h` entries: a customer who viewed or carted a product and did not
-- buy it in the 24 hours after the last view or cart add of that day enters on the
-- business date those 24 hours ran out, and leaves once they buy it (a purchase up to
-- the as-of date). One entry per customer and entry date: several products browsed that
-- day are one reminder about the product with most cart adds, then views, then the
-- latest browse (then the lowest sku).
with

browses as (
    select * from {{ ref('int_browsed_not_bought') }}
),

windows as (
    select * from {{ ref('int_audience_triggers_windowed') }}
    where trigger_key = 'browsed_not_bought_24h'
),

-- Only browse days whose 24 hours can end inside the window are read (the 24 hours end
-- at most two calendar days after the browse date, whatever the time zone does).
unbought as (
    select
        browses.customer_id,
        browses.sku,
        browses.product_views,
        browses.cart_adds,
        browses.last_browsed_at,
        windows.trigger_key,
        windows.window_start_date,
        windows.as_of_date,
        cast(
            {{ utc_to_local(
                dbt.dateadd('hour', 24, 'browses.last_browsed_at'), var('business_timezone')
            ) }} as date
        ) as entry_date
    from browses
    cross join windows
    where
        browses.is_window_complete
        and not browses.is_bought_within_24h
        and browses.first_purchased_at is null
        and browses.browse_date >= {{ dbt.dateadd('day', -2, 'windows.window_start_date') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_id, entry_date
            order by cart_adds desc, product_views desc, last_browsed_at desc, sku asc
        ) as product_rank
    from unbought
    where entry_date >= window_start_date and entry_date <= as_of_date
),

final as (
    select
        customer_id,
        trigger_key,
        entry_date,
        sku as trigger_reference
    from ranked
    where product_rank = 1
)

select * from final
