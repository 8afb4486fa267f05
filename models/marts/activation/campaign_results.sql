-- Campaign results per campaign, channel and variant (A, B and the control group) as of
-- the as-of date: recipients, sends, opens, clicks, coupon redemptions, attributed
-- conversions and revenue, the rates, and each variant's conversion against its control
-- group (uplift, lift, two-proportion z-test).
{%- set alpha = var('campaign_significance_alpha') %}

with

sends as (
    select * from {{ ref('int_campaign_sends_attributed') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

variants as (
    select
        campaign_id,
        channel,
        variant,
        max(campaign_name) as campaign_name,
        min(assigned_date) as first_assigned_date,
        count(*) as recipients,
        count(customer_id) as resolved_recipients,
        sum(case when is_sent then 1 else 0 end) as sends,
        sum(case when is_opened then 1 else 0 end) as opens,
        sum(case when is_clicked then 1 else 0 end) as clicks,
        sum(case when is_redeemed then 1 else 0 end) as redemptions,
        sum(case when has_converted then 1 else 0 end) as converters,
        sum(attributed_order_count) as attributed_orders,
        sum(attributed_net_revenue_reporting) as attributed_net_revenue_reporting,
        min(case when is_attribution_complete then 1 else 0 end) = 1
            as is_attribution_complete
    from sends
    group by campaign_id, channel, variant
),

compared as (
    select
        variants.*,
        controls.recipients as control_recipients,
        controls.converters as control_converters,
        case
            when variants.variant <> 'control'
                then {{ two_proportion_z(
                    'variants.converters', 'variants.recipients',
                    'controls.converters', 'controls.recipients'
                ) }}
        end as z_score
    from variants
    left join variants as controls
        on
            variants.campaign_id = controls.campaign_id
            and variants.channel = controls.channel
            and controls.variant = 'control'
),

tested as (
    select
        *,
        1.0 * converters / recipients as conversion_rate,
        1.0 * control_converters / nullif(control_recipients, 0) as control_conversion_rate,
        cast(2 * {{ normal_cdf('-abs(z_score)') }} as decimal(10, 6)) as p_value
    from compared
),

final as (
    select
        cast(tested.campaign_id as varchar) as campaign_id,
        cast(tested.campaign_name as varchar) as campaign_name,
        cast(tested.channel as varchar) as channel,
        cast(tested.variant as varchar) as variant,
        cast(tested.variant = 'control' as boolean) as is_control,
        cast(tested.first_assigned_date as date) as first_assigned_date,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(tested.recipients as bigint) as recipients,
        cast(tested.resolved_recipients as bigint) as resolved_recipients,
        cast(tested.sends as bigint) as sends,
        cast(tested.opens as bigint) as opens,
        cast(tested.clicks as bigint) as clicks,
        cast(tested.redemptions as bigint) as redemptions,
        cast(tested.converters as bigint) as converters,
        cast(tested.attributed_orders as bigint) as attributed_orders,
        cast(tested.attributed_net_revenue_reporting as decimal(18, 2))
            as attributed_net_revenue_reporting,
        cast(tested.attributed_net_revenue_reporting / tested.recipients as decimal(18, 2))
            as net_revenue_per_recipient_reporting,
        cast(
            case when tested.channel <> 'sms' then 1.0 * tested.opens / nullif(tested.sends, 0) end
            as decimal(10, 6)
        ) as open_rate,
        cast(1.0 * tested.clicks / nullif(tested.sends, 0) as decimal(10, 6)) as click_rate,
        cast(1.0 * tested.redemptions / nullif(tested.sends, 0) as decimal(10, 6))
            as redemption_rate,
        cast(tested.conversion_rate as decimal(10, 6)) as conversion_rate,
        cast(tested.control_recipients as bigint) as control_recipients,
        cast(tested.control_converters as bigint) as control_converters,
        cast(tested.control_conversion_rate as decimal(10, 6)) as control_conversion_rate,
        cast(
            case
                when tested.variant <> 'control'
                    then tested.conversion_rate - tested.control_conversion_rate
            end as decimal(10, 6)
        ) as conversion_uplift,
        cast(
            case
                when tested.variant <> 'control'
                    then tested.conversion_rate / nullif(tested.control_conversion_rate, 0) - 1
            end as decimal(12, 6)
        ) as conversion_lift,
        cast(
            case
                when tested.variant <> 'control'
                    then
                        tested.recipients
                        * (tested.conversion_rate - tested.control_conversion_rate)
            end as decimal(12, 2)
        ) as incremental_converters,
        cast(tested.z_score as decimal(10, 4)) as z_score,
        cast(tested.p_value as decimal(10, 6)) as p_value,
        cast(
            case when tested.p_value is not null then tested.p_value < {{ alpha }} end
            as boolean
        ) as is_significant,
        cast(tested.is_attribution_complete as boolean) as is_attribution_complete,
        '{{ var("reporting_currency") }}' as reporting_currency
    from tested
    cross join as_of
)

select * from final
