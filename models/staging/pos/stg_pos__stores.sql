-- Store master: one row per store, with its location and whether it is a test till.
with

triaged as (
    select * from {{ ref('base_pos__stores') }}
    where row_status = 'kept'
),

final as (
    select
        parsed_store_id as store_id,
        nullif(trim(store_name), '') as store_name,
        nullif(trim(province), '') as province,
        nullif(trim(city), '') as city,
        opened_date,
        nullif(trim(opened_on), '') is not null and opened_date is null
            as has_invalid_opened_date,
        parsed_store_id in {{ sql_list(var('test_store_ids')) }} as is_test_store,
        _source_file as source_file
    from triaged
)

select * from final
