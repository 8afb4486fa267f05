-- Duplicate and rejected raw rows by source table and reason code.
with

triaged as (
    select * from {{ ref('int_source_rows_triaged') }}
    where row_status <> 'kept'
),

final as (
    select
        source_name,
        row_status,
        row_status_reason as reason,
        cast(row_count as bigint) as row_count
    from triaged
)

select * from final
