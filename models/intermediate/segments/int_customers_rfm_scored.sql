-- Recency, frequency and monetary value of every customer with a placed order up to the
-- as-of date, each scored 1-5 (5 best) from the rank of the value among all of them.
-- rank() gives tied values their lowest rank, so equal values always get equal scores
-- (see the doc block `rfm_score_rule`). One sort per measure over all customers.
{%- set measures = [
    ('recency', 'recency_days desc'),
    ('frequency', 'frequency asc'),
    ('monetary', 'monetary_reporting asc'),
] %}

with

customer_facts as (
    select * from {{ ref('int_customer_facts') }}
    where order_count > 0
),

measured as (
    select
        customer_id,
        as_of_date,
        first_order_date,
        last_order_date,
        days_since_last_order as recency_days,
        order_count as frequency,
        net_spend_reporting as monetary_reporting
    from customer_facts
),

ranked as (
    select
        *,
        {%- for name, ordering in measures %}
            rank() over (order by {{ ordering }}) as {{ name }}_rank,
        {%- endfor %}
        count(*) over () as customer_count
    from measured
),

scored as (
    select
        customer_id,
        as_of_date,
        first_order_date,
        last_order_date,
        recency_days,
        frequency,
        monetary_reporting,
        {%- for name, ordering in measures %}
            cast(1 + floor(5.0 * ({{ name }}_rank - 1) / customer_count) as integer)
                as {{ name }}_score,
        {%- endfor %}
        customer_count
    from ranked
),

final as (
    select
        customer_id,
        as_of_date,
        first_order_date,
        last_order_date,
        recency_days,
        frequency,
        monetary_reporting,
        recency_score,
        frequency_score,
        monetary_score,
        cast(recency_score as varchar)
        || cast(frequency_score as varchar)
        || cast(monetary_score as varchar) as rfm_score
    from scored
)

select * from final
