-- One row per resolved customer x product x business date on which the customer viewed
-- or carted the product, with the first placed order of that product by that customer at
-- or after the first browse of the day, and whether it came within 24 hours of the last
-- browse. Scale: events are aggregated to one row per customer x sku x day before any
-- join, and the purchase lookup never pairs browses with order lines: browse days and
-- purchases of the browsed (customer, sku) pairs are stacked into one time-ordered
-- stream, and window minima / maxima give each browse day its next and previous purchase.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where
        customer_id is not null
        and sku is not null
        and event_type in ('product_view', 'add_to_cart')
),

order_items as (
    select * from {{ ref('int_order_items_resolved') }}
    where customer_id is not null and is_placed
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

browse_days as (
    select
        customer_id,
        sku,
        event_date as browse_date,
        min(top_category_id) as category_id,
        min(event_at) as first_browsed_at,
        max(event_at) as last_browsed_at,
        sum(case when event_type = 'product_view' then 1 else 0 end) as product_views,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as cart_adds
    from events
    group by customer_id, sku, event_date
),

browsed_pairs as (
    select distinct
        customer_id,
        sku
    from browse_days
),

purchases as (
    select distinct
        order_items.customer_id,
        order_items.sku,
        order_items.ordered_at
    from order_items
    inner join browsed_pairs
        on
            order_items.customer_id = browsed_pairs.customer_id
            and order_items.sku = browsed_pairs.sku
),

-- One time order serves both lookups: on equal times a browse row sorts before a
-- purchase row, so a purchase at the very instant of the first browse counts as after it
-- (in the following frame) and not as before it.
timeline as (
    select
        customer_id,
        sku,
        first_browsed_at as happened_at,
        0 as row_kind,
        browse_date
    from browse_days
    union all
    select
        customer_id,
        sku,
        ordered_at as happened_at,
        1 as row_kind,
        cast(null as date) as browse_date
    from purchases
),

purchase_lookups as (
    select
        customer_id,
        sku,
        browse_date,
        row_kind,
        min(case when row_kind = 1 then happened_at end) over (
            partition by customer_id, sku
            order by happened_at asc, row_kind asc
            rows between current row and unbounded following
        ) as first_purchased_at,
        max(case when row_kind = 1 then happened_at end) over (
            partition by customer_id, sku
            order by happened_at asc, row_kind asc
            rows between unbounded preceding and current row
        ) as last_purchased_before_at
    from timeline
),

as_of_end as (
    select
        as_of_date,
        {{ local_to_utc(
            'cast(' ~ dbt.dateadd('day', 1, 'as_of_date') ~ ' as timestamp)',
            var('business_timezone'),
        ) }} as as_of_end_at
    from as_of
),

final as (
    select
        browse_days.customer_id,
        browse_days.sku,
        browse_days.category_id,
        browse_days.browse_date,
        browse_days.first_browsed_at,
        browse_days.last_browsed_at,
        cast(browse_days.product_views as integer) as product_views,
        cast(browse_days.cart_adds as integer) as cart_adds,
        purchase_lookups.first_purchased_at,
        coalesce(
            purchase_lookups.first_purchased_at
            <= {{ dbt.dateadd('hour', 24, 'browse_days.last_browsed_at') }},
            false
        ) as is_bought_within_24h,
        {{ dbt.dateadd('hour', 24, 'browse_days.last_browsed_at') }}
        <= as_of_end.as_of_end_at as is_window_complete,
        purchase_lookups.last_purchased_before_at,
        as_of_end.as_of_date
    from browse_days
    inner join purchase_lookups
        on
            browse_days.customer_id = purchase_lookups.customer_id
            and browse_days.sku = purchase_lookups.sku
            and browse_days.browse_date = purchase_lookups.browse_date
            and purchase_lookups.row_kind = 0
    cross join as_of_end
)

select * from final
