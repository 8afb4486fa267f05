-- Row counts of every raw source table by triage status and reason, from the staging
-- base models (each of which holds every raw row exactly once).
{%- set base_models = [
    ('web_shop.orders', 'base_web_shop__orders'),
    ('web_shop.order_lines', 'base_web_shop__order_lines'),
    ('app.orders', 'base_app__orders'),
    ('app.order_items', 'base_app__order_items'),
    ('pos.sales', 'base_pos__sales'),
    ('pos.stores', 'base_pos__stores'),
    ('marketplace.orders', 'base_marketplace__orders'),
    ('marketplace.order_items', 'base_marketplace__order_items'),
    ('crm.customers', 'base_crm__customers'),
    ('catalog.products', 'base_catalog__products'),
    ('catalog.categories', 'base_catalog__categories'),
    ('after_sales.returns', 'base_after_sales__returns'),
    ('after_sales.tickets', 'base_after_sales__tickets'),
    ('surveys.nps_responses', 'base_surveys__nps_responses'),
    ('reviews.product_reviews', 'base_reviews__product_reviews'),
    ('events.behaviour_events', 'base_events__behaviour_events'),
    ('marketing.sends', 'base_marketing__sends'),
] %}

with

{% for source_name, model_name in base_models %}
    {{ model_name }} as (
        select
            '{{ source_name }}' as source_name,
            row_status,
            row_status_reason,
            count(*) as row_count
        from {{ ref(model_name) }}
        group by row_status, row_status_reason
    ),

{% endfor -%}

final as (
    {% for source_name, model_name in base_models %}
        select * from {{ model_name }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
