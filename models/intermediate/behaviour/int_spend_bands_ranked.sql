-- The spend bands of the seed with their rank and upper bound: a band ends where the next
-- band of its type starts (the highest band is open), so bands never overlap or leave gaps.
with

bands as (
    select * from {{ ref('spend_bands') }}
),

final as (
    select
        band_type,
        row_number() over (partition by band_type order by lower_bound_reporting)
            as band_rank,
        band_label,
        lower_bound_reporting,
        lead(lower_bound_reporting) over (
            partition by band_type order by lower_bound_reporting
        ) as upper_bound_reporting
    from bands
)

select * from final
