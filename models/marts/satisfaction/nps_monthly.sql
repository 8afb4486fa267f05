-- NPS by month (business date of the answer) and survey channel up to the as-of date, with
-- an `all` channel row per month and the NPS of the trailing three months. Every month
-- with an answer has a row for every channel (zero answers: null NPS).
with

feedback as (
    select * from {{ ref('int_feedback_resolved') }}
    where feedback_type = 'nps'
),

answers as (
    select
        cast({{ dbt.date_trunc('month', 'feedback_date') }} as date) as response_month,
        case
            when source_system = 'pos' then 'store'
            else coalesce(source_system, 'unknown')
        end as channel,
        score
    from feedback
),

-- One pass: a row per month and channel, and per month over all channels.
counted as (
    select
        response_month,
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        {{ nps_counts('score') }}
    from answers
    group by response_month, rollup(channel)
),

months as (
    select distinct response_month from counted
),

channels as (
    select distinct channel from counted
),

spine as (
    select
        months.response_month,
        channels.channel,
        extract(year from months.response_month) * 12
        + extract(month from months.response_month) as month_number
    from months
    cross join channels
),

filled as (
    select
        spine.response_month,
        spine.channel,
        spine.month_number,
        coalesce(counted.responses, 0) as responses,
        coalesce(counted.promoters, 0) as promoters,
        coalesce(counted.passives, 0) as passives,
        coalesce(counted.detractors, 0) as detractors
    from spine
    left join counted
        on
            spine.response_month = counted.response_month
            and spine.channel = counted.channel
),

-- A range frame on the month number, so a month without any answer is not skipped over.
trailing_sums as (
    select
        *,
        sum(responses) over (
            partition by channel order by month_number
            range between 2 preceding and current row
        ) as responses_trailing_3_months,
        sum(promoters) over (
            partition by channel order by month_number
            range between 2 preceding and current row
        ) as promoters_trailing_3_months,
        sum(detractors) over (
            partition by channel order by month_number
            range between 2 preceding and current row
        ) as detractors_trailing_3_months
    from filled
),

final as (
    select
        cast(response_month as date) as month, -- noqa: RF04
        cast(channel as varchar) as channel,
        cast(responses as bigint) as responses,
        cast(promoters as bigint) as promoters,
        cast(passives as bigint) as passives,
        cast(detractors as bigint) as detractors,
        cast({{ nps_score('promoters', 'detractors', 'responses') }} as decimal(5, 2)) as nps,
        cast(responses_trailing_3_months as bigint) as responses_trailing_3_months,
        cast(
            {{ nps_score(
                'promoters_trailing_3_months',
                'detractors_trailing_3_months',
                'responses_trailing_3_months'
            ) }} as decimal(5, 2)
        ) as nps_trailing_3_months
    from trailing_sums
)

select * from final
