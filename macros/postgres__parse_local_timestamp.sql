{#- PostgreSQL form of `parse_local_timestamp`: the first of the strftime formats whose
    shape the text has (a regular expression made from the format: %m, %d, %H, %M and %S
    take one or two digits, like DuckDB's strptime) and that `to_timestamp` reads without
    error; null when none does. -#}
{% macro postgres__parse_local_timestamp(column, formats) -%}
    {%- set parts = {
        '%Y': ['[0-9]{4}', 'YYYY'],
        '%m': ['[0-9]{1,2}', 'MM'],
        '%d': ['[0-9]{1,2}', 'DD'],
        '%H': ['[0-9]{1,2}', 'HH24'],
        '%M': ['[0-9]{1,2}', 'MI'],
        '%S': ['[0-9]{1,2}', 'SS'],
    } -%}
    {%- set branches = [] -%}
    {%- for strftime_format in formats -%}
        {%- set ns = namespace(pattern='', pg_format='', position=0) -%}
        {%- for token in modules.re.findall('%[A-Za-z]|[^%]', strftime_format) -%}
            {%- if token in parts -%}
                {%- set ns.pattern = ns.pattern ~ parts[token][0] -%}
                {%- set ns.pg_format = ns.pg_format ~ parts[token][1] -%}
            {%- elif token.startswith('%') -%}
                {{ exceptions.raise_compiler_error(
                    "parse_local_timestamp: format code " ~ token ~ " has no PostgreSQL form"
                ) }}
            {%- else -%}
                {%- set ns.pattern = ns.pattern ~ modules.re.escape(token) -%}
                {%- set ns.pg_format = ns.pg_format ~ ('"' ~ token ~ '"' if token.isalpha() else token) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do branches.append(
            "case when trim(" ~ column ~ ") ~ '^" ~ ns.pattern ~ "$' then "
            ~ adapter.quote(target.schema) ~ ".safe_to_timestamp(trim(" ~ column ~ "), '"
            ~ ns.pg_format ~ "') end"
        ) -%}
    {%- endfor -%}
    coalesce({{ branches | join(', ') }})
{%- endmacro %}
