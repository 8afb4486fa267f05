{#- The production batch a unit sold on `sale_date` comes from, by the catalogue's batch
    convention `<sku>-<YYYY>Q<q>` (the quarter of the sale's business date). Sales lines
    carry no batch; a retailer whose lines do would read it instead. -#}
{% macro batch_no_of_sale(sku, sale_date) -%}
    {{ sku }} || '-' || cast(extract(year from {{ sale_date }}) as varchar)
    || 'Q' || cast(extract(quarter from {{ sale_date }}) as varchar)
{%- endmacro %}
