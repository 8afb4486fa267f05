-- The business date the customer models are computed as of: var `as_of_date`, or by
-- default the latest order date in the data. One row.
{%- set configured = validated_date_var('as_of_date') %}

with

orders as (
    select * from {{ ref('int_orders_deduplicated') }}
),

final as (
    select
        coalesce({{ configured or 'cast(null as date)' }}, max(order_date)) as as_of_date,
        {{ configured is not none }} as is_configured
    from orders
)

select * from final
