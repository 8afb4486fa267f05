-- Service tickets by month opened (business date), reason and contact channel up to the
-- as-of date, with `all` rows for every reason, every channel and both: volume,
-- resolution as of the as-of date, resolution time and satisfaction.
with

tickets as (
    select * from {{ ref('stg_after_sales__tickets') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

dated as (
    select
        tickets.*,
        cast({{ utc_to_local('tickets.opened_at', var('business_timezone')) }} as date)
            as opened_date,
        cast({{ utc_to_local('tickets.resolved_at', var('business_timezone')) }} as date)
            as resolved_date
    from tickets
),

-- A resolution after the as-of date is unknown as of that date: the ticket is open.
tickets_as_of as (
    select
        cast({{ dbt.date_trunc('month', 'dated.opened_date') }} as date) as opened_month,
        coalesce(dated.ticket_reason, 'unknown') as ticket_reason,
        coalesce(dated.channel, 'unknown') as contact_channel,
        coalesce(dated.is_resolved and dated.resolved_date <= as_of.as_of_date, false)
            as is_resolved_as_of,
        case
            when dated.is_resolved and dated.resolved_date <= as_of.as_of_date
                then dated.resolution_hours
        end as resolution_hours,
        case
            when dated.is_resolved and dated.resolved_date <= as_of.as_of_date
                then dated.satisfaction_score
        end as satisfaction_score
    from dated
    cross join as_of
    where dated.opened_date <= as_of.as_of_date
),

counted as (
    select
        opened_month,
        case when grouping(ticket_reason) = 1 then 'all' else ticket_reason end
            as ticket_reason,
        case when grouping(contact_channel) = 1 then 'all' else contact_channel end
            as contact_channel,
        count(*) as tickets_opened,
        sum(case when is_resolved_as_of then 1 else 0 end) as tickets_resolved,
        sum(
            case
                when resolution_hours <= {{ var('ticket_resolution_sla_hours') }} then 1
                else 0
            end
        ) as tickets_resolved_within_sla,
        -- On doubles: on a decimal the interpolated value is cut to the input's scale.
        percentile_cont(0.5) within group (order by cast(resolution_hours as double precision))
            as median_resolution_hours,
        percentile_cont(0.9) within group (order by cast(resolution_hours as double precision))
            as p90_resolution_hours,
        count(satisfaction_score) as satisfaction_responses,
        avg(satisfaction_score) as average_satisfaction_score
    from tickets_as_of
    -- Every month by reason and channel, by reason, by channel and in total.
    group by opened_month, cube(ticket_reason, contact_channel)
),

final as (
    select
        cast(counted.opened_month as date) as month, -- noqa: RF04
        cast(counted.ticket_reason as varchar) as ticket_reason,
        cast(counted.contact_channel as varchar) as contact_channel,
        cast(counted.tickets_opened as bigint) as tickets_opened,
        cast(counted.tickets_resolved as bigint) as tickets_resolved,
        cast(counted.tickets_opened - counted.tickets_resolved as bigint) as tickets_open,
        cast(counted.tickets_resolved * 1.0 / counted.tickets_opened as decimal(10, 4))
            as resolution_rate,
        cast(counted.tickets_resolved_within_sla as bigint) as tickets_resolved_within_sla,
        cast(
            counted.tickets_resolved_within_sla * 1.0 / counted.tickets_opened
            as decimal(10, 4)
        ) as sla_attainment_rate,
        cast({{ round_double('counted.median_resolution_hours', 2) }} as decimal(10, 2))
            as median_resolution_hours,
        cast({{ round_double('counted.p90_resolution_hours', 2) }} as decimal(10, 2))
            as p90_resolution_hours,
        cast(counted.satisfaction_responses as bigint) as satisfaction_responses,
        cast(counted.average_satisfaction_score as decimal(4, 2))
            as average_satisfaction_score,
        cast(as_of.as_of_date as date) as as_of_date
    from counted
    cross join as_of
)

select * from final
