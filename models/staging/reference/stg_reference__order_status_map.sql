-- Source status spellings (lower-cased, trimmed) to the canonical order status.
with

status_map as (
    select * from {{ ref('order_status_map') }}
),

statuses as (
    select * from {{ ref('order_statuses') }}
),

final as (
    select
        status_map.source_name,
        lower(trim(status_map.source_status)) as source_status,
        status_map.order_status,
        statuses.status_rank
    from status_map
    inner join statuses on status_map.order_status = statuses.order_status
)

select * from final
