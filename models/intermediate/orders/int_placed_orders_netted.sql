-- Every placed order of a resolved customer up to the as-of date with the money given
-- back on it, by the rule of the customer facts (doc `customer_refunds_reporting`): a
-- `refunded` order in full; any other the approved or refunded returns (not exchanges)
-- requested up to the as-of date, capped at the order total. Customer facts, loyalty
-- tiers, cohort revenue and campaign attribution all take their refunds from here.
with

orders as (
    select * from {{ ref('int_orders_resolved') }}
    where customer_id is not null and is_placed
),

returns as (
    select * from {{ ref('stg_after_sales__returns') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

order_return_refunds as (
    select
        returns.source_system || ':' || returns.order_ref as order_id,
        sum(returns.refund_reporting) as refund_reporting
    from returns
    cross join as_of
    where
        not returns.is_exchange
        and returns.return_status in ('approved', 'refunded')
        and cast({{ utc_to_local('returns.requested_at', var('business_timezone')) }} as date)
        <= as_of.as_of_date
    group by returns.source_system || ':' || returns.order_ref
),

netted as (
    select
        orders.order_id,
        orders.customer_id,
        orders.channel,
        orders.ordered_at,
        orders.order_date,
        orders.order_total_reporting,
        case
            when orders.is_refunded then orders.order_total_reporting
            else least(
                coalesce(order_return_refunds.refund_reporting, 0),
                orders.order_total_reporting
            )
        end as refunds_reporting
    from orders
    left join order_return_refunds on orders.order_id = order_return_refunds.order_id
),

final as (
    select
        order_id,
        customer_id,
        channel,
        ordered_at,
        order_date,
        cast(order_total_reporting as decimal(18, 2)) as order_total_reporting,
        cast(refunds_reporting as decimal(18, 2)) as refunds_reporting,
        cast(order_total_reporting - refunds_reporting as decimal(18, 2)) as net_total_reporting
    from netted
)

select * from final
