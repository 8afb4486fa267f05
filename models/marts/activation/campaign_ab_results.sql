-- A vs B comparison of every campaign that ran both variants: click-through (of sends)
-- and conversion (of recipients) of each, the relative lift of B over A, two-proportion
-- z-tests and the winning variant when the difference is significant.
{%- set alpha = var('campaign_significance_alpha') %}

with

results as (
    select * from {{ ref('campaign_results') }}
),

variant_a as (
    select * from results
    where variant = 'A'
),

variant_b as (
    select * from results
    where variant = 'B'
),

paired as (
    select
        variant_a.campaign_id,
        variant_a.campaign_name,
        variant_a.channel,
        variant_a.first_assigned_date,
        variant_a.as_of_date,
        variant_a.recipients as recipients_a,
        variant_b.recipients as recipients_b,
        variant_a.sends as sends_a,
        variant_b.sends as sends_b,
        variant_a.open_rate as open_rate_a,
        variant_b.open_rate as open_rate_b,
        variant_a.clicks as clicks_a,
        variant_b.clicks as clicks_b,
        variant_a.converters as converters_a,
        variant_b.converters as converters_b,
        variant_a.is_attribution_complete
        and variant_b.is_attribution_complete as is_attribution_complete,
        {{ two_proportion_z(
            'variant_b.clicks', 'variant_b.sends', 'variant_a.clicks', 'variant_a.sends'
        ) }} as click_z_score,
        {{ two_proportion_z(
            'variant_b.converters', 'variant_b.recipients',
            'variant_a.converters', 'variant_a.recipients'
        ) }} as conversion_z_score
    from variant_a
    inner join variant_b
        on
            variant_a.campaign_id = variant_b.campaign_id
            and variant_a.channel = variant_b.channel
),

rated as (
    select
        *,
        1.0 * clicks_a / nullif(sends_a, 0) as click_rate_a,
        1.0 * clicks_b / nullif(sends_b, 0) as click_rate_b,
        1.0 * converters_a / recipients_a as conversion_rate_a,
        1.0 * converters_b / recipients_b as conversion_rate_b,
        cast(2 * {{ normal_cdf('-abs(click_z_score)') }} as decimal(10, 6)) as click_p_value,
        cast(2 * {{ normal_cdf('-abs(conversion_z_score)') }} as decimal(10, 6))
            as conversion_p_value
    from paired
),

final as (
    select
        cast(campaign_id as varchar) as campaign_id,
        cast(campaign_name as varchar) as campaign_name,
        cast(channel as varchar) as channel,
        cast(first_assigned_date as date) as first_assigned_date,
        cast(as_of_date as date) as as_of_date,
        cast(recipients_a as bigint) as recipients_a,
        cast(recipients_b as bigint) as recipients_b,
        cast(sends_a as bigint) as sends_a,
        cast(sends_b as bigint) as sends_b,
        cast(open_rate_a as decimal(10, 6)) as open_rate_a,
        cast(open_rate_b as decimal(10, 6)) as open_rate_b,
        cast(clicks_a as bigint) as clicks_a,
        cast(clicks_b as bigint) as clicks_b,
        cast(click_rate_a as decimal(10, 6)) as click_rate_a,
        cast(click_rate_b as decimal(10, 6)) as click_rate_b,
        cast(click_rate_b / nullif(click_rate_a, 0) - 1 as decimal(12, 6)) as click_lift_b_vs_a,
        cast(click_z_score as decimal(10, 4)) as click_z_score,
        cast(click_p_value as decimal(10, 6)) as click_p_value,
        cast(case when click_p_value is not null then click_p_value < {{ alpha }} end as boolean)
            as is_click_difference_significant,
        cast(converters_a as bigint) as converters_a,
        cast(converters_b as bigint) as converters_b,
        cast(conversion_rate_a as decimal(10, 6)) as conversion_rate_a,
        cast(conversion_rate_b as decimal(10, 6)) as conversion_rate_b,
        cast(conversion_rate_b / nullif(conversion_rate_a, 0) - 1 as decimal(12, 6))
            as conversion_lift_b_vs_a,
        cast(conversion_z_score as decimal(10, 4)) as conversion_z_score,
        cast(conversion_p_value as decimal(10, 6)) as conversion_p_value,
        cast(
            case when conversion_p_value is not null then conversion_p_value < {{ alpha }} end
            as boolean
        ) as is_conversion_difference_significant,
        cast(
            case
                when conversion_p_value >= {{ alpha }} or conversion_p_value is null then null
                when conversion_rate_b > conversion_rate_a then 'B'
                else 'A'
            end as varchar
        ) as winning_variant,
        cast(is_attribution_complete as boolean) as is_attribution_complete
    from rated
)

select * from final
