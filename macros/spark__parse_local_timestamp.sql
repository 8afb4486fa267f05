{#- Spark form of `parse_local_timestamp`: the first of the strftime formats whose shape
    the text has (as postgres__parse_local_timestamp: %m, %d, %H, %M and %S take one or two
    digits, like DuckDB's strptime) and that `try_to_timestamp` reads; null when none does.
    Adjacent numbers (%Y%m%d) take their full widths; a letter (the T of ISO 8601) is
    quoted in the pattern. Spark reads a backslash in a string literal as an escape: the
    regular expression's are doubled. -#}
{% macro spark__parse_local_timestamp(column, formats) -%}
    {%- set parts = {
        '%Y': ['[0-9]{4}', 'yyyy', 'yyyy'],
        '%m': ['[0-9]{1,2}', 'M', 'MM'],
        '%d': ['[0-9]{1,2}', 'd', 'dd'],
        '%H': ['[0-9]{1,2}', 'H', 'HH'],
        '%M': ['[0-9]{1,2}', 'm', 'mm'],
        '%S': ['[0-9]{1,2}', 's', 'ss'],
    } -%}
    {%- set branches = [] -%}
    {%- for strftime_format in formats -%}
        {%- set adjacent = modules.re.search('%[A-Za-z]%[A-Za-z]', strftime_format) -%}
        {%- set ns = namespace(pattern='', spark_format='') -%}
        {%- for token in modules.re.findall('%[A-Za-z]|[^%]', strftime_format) -%}
            {%- if token in parts -%}
                {%- set ns.pattern = ns.pattern
                    ~ (parts[token][0] if not adjacent
                        else '[0-9]{' ~ parts[token][2] | length ~ '}') -%}
                {%- set ns.spark_format = ns.spark_format
                    ~ (parts[token][2] if adjacent else parts[token][1]) -%}
            {%- elif token.startswith('%') -%}
                {{ exceptions.raise_compiler_error(
                    "parse_local_timestamp: format code " ~ token ~ " has no Spark form"
                ) }}
            {%- else -%}
                {%- set ns.pattern = ns.pattern ~ modules.re.escape(token) -%}
                {%- set ns.spark_format = ns.spark_format
                    ~ ("''" ~ token ~ "''" if token.isalpha() else token) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do branches.append(
            "case when trim(" ~ column ~ ") rlike '^" ~ ns.pattern | replace('\\', '\\\\')
            ~ "$' then try_to_timestamp(trim("
            ~ column ~ "), '" ~ ns.spark_format ~ "') end"
        ) -%}
    {%- endfor -%}
    coalesce({{ branches | join(', ') }})
{%- endmacro %}
