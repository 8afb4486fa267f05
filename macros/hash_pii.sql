{#- Salted SHA-256 (hex) of a personal identifier, so marts can join and count on it
    without exposing it. The salt comes from env var PII_HASH_SALT (set your own in
    production: without it a phone number's hash can be brute-forced). -#}
{% macro hash_pii(expression) -%}
    {{ return(adapter.dispatch('hash_pii', 'customer_analytics')(expression)) }}
{%- endmacro %}

{% macro default__hash_pii(expression) -%}
    sha256('{{ env_var("PII_HASH_SALT", "customer-analytics") }}' || ({{ expression }}))
{%- endmacro %}

{% macro postgres__hash_pii(expression) -%}
    encode(sha256(convert_to(
        '{{ env_var("PII_HASH_SALT", "customer-analytics") }}' || ({{ expression }}), 'UTF8'
    )), 'hex')
{%- endmacro %}

{% macro spark__hash_pii(expression) -%}
    sha2('{{ env_var("PII_HASH_SALT", "customer-analytics") }}' || ({{ expression }}), 256)
{%- endmacro %}
