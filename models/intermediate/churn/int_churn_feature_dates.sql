-- The two dates churn features are computed at: the scoring date (the as-of date) and
-- the training date, var `churn_horizon_days` earlier, whose churn labels are read from
-- the horizon that ends on the as-of date. Two rows.
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

scoring_date as (
    select
        cast(as_of_date as date) as feature_date,
        false as is_training_row,
        cast(as_of_date as date) as as_of_date
    from as_of
),

training_date as (
    select
        cast(
            {{ dbt.dateadd('day', -1 * var('churn_horizon_days'), 'as_of_date') }} as date
        ) as feature_date,
        true as is_training_row,
        cast(as_of_date as date) as as_of_date
    from as_of
),

final as (
    select * from scoring_date
    union all
    select * from training_date
)

select * from final
