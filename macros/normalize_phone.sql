{#- Phone number in E.164 (+8613812345678), or null when it cannot be one.

    Rules: keep digits (and a leading +); `00` is the international prefix; a number
    written with its country code but no `+` (86138...) gets one; an 11-digit Chinese
    mobile (1xxxxxxxxxx) without a code gets the var `default_phone_country_code`.
    Anything else that is not 8 to 15 digits after the `+` is not a phone number. -#}
{% macro normalize_phone(column) -%}
    {%- set country = var('default_phone_country_code') -%}
    {%- set digits = regex_replace_all(column, '[^0-9]', '') -%}
    {%- set candidate -%}
        case
            when trim({{ column }}) like '+%' then '+' || {{ digits }}
            when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
            when length({{ digits }}) = 13 and {{ digits }} like '{{ country }}1%'
                then '+' || {{ digits }}
            when length({{ digits }}) = 11 and {{ digits }} like '1%'
                then '+{{ country }}' || {{ digits }}
        end
    {%- endset -%}
    case
        when {{ regex_matches(candidate, '^\\+[1-9][0-9]{7,14}$') }} then {{ candidate }}
    end
{%- endmacro %}
