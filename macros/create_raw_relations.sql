{#- Expose every raw export declared in a source YAML as a view `raw.<identifier>`.

    Each source table's `meta` names its files (a glob under RAW_DATA_DIR) and format;
    its `columns` are the data contract. CSV and JSON files are read as text so that no
    malformed value can fail the build: staging parses, and quarantines what it cannot.
    A source whose files are absent becomes an empty view with the contracted columns,
    so a retailer without (say) a survey tool still gets every model built. -#}
{% macro create_raw_relations() %}
    {{- return(adapter.dispatch('create_raw_relations', 'customer_analytics')()) -}}
{% endmacro %}

{#- DuckDB reads the files in place. -#}
{% macro duckdb__create_raw_relations() %}
    {%- if execute -%}
        {%- set raw_dir = env_var('RAW_DATA_DIR', 'data/raw') | replace('\\', '/') -%}
        {%- set ns = namespace(found=0) -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for node in graph.sources.values() if node.meta.get('files') -%}
            {%- set pattern = raw_dir.rstrip('/') ~ '/' ~ node.meta['files'] -%}
            {%- set n_files = run_query(
                "select count(*) from glob('" ~ pattern ~ "')"
            ).columns[0].values()[0] -%}
            {%- set relation = 'raw.' ~ node.identifier -%}
            {%- if n_files > 0 -%}
                {%- set ns.found = ns.found + 1 -%}
                {%- set reader = _raw_file_reader(node.meta.get('format', 'csv'), pattern, node) -%}
                {%- do _check_raw_columns(node, reader, pattern) -%}
                {%- set select_list = [] -%}
                {%- for column in node.columns.values() -%}
                    {%- do select_list.append(adapter.quote(column.name)) -%}
                {%- endfor -%}
                {%- do run_query(
                    'create or replace view ' ~ relation ~ ' as select '
                    ~ select_list | join(', ')
                    ~ ', parse_filename(filename) as _source_file from ' ~ reader
                ) -%}
            {%- else -%}
                {%- do run_query(
                    'create or replace view ' ~ relation ~ ' as '
                    ~ _empty_raw_select(node) ~ ' where false'
                ) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if ns.found == 0 -%}
            {{ exceptions.raise_compiler_error(
                "No raw export files were found under RAW_DATA_DIR='" ~ raw_dir
                ~ "'. Generate the sample with `make data`, or point RAW_DATA_DIR at a folder "
                ~ "laid out as the sources YAML files describe."
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{% macro _raw_file_reader(file_format, pattern, node) %}
    {%- if file_format == 'csv' -%}
        read_csv('{{ pattern }}', header = true, all_varchar = true, union_by_name = true,
            filename = true, quote = '"', escape = '"')
    {%- elif file_format == 'parquet' -%}
        read_parquet('{{ pattern }}', union_by_name = true, filename = true)
    {%- elif file_format == 'jsonl' -%}
        read_json('{{ pattern }}', format = 'newline_delimited', filename = true,
            columns = { {%- for column in node.columns.values() -%}
                '{{ column.name }}': 'VARCHAR'{{ ', ' if not loop.last }}
            {%- endfor -%} })
    {%- else -%}
        {{ exceptions.raise_compiler_error("Unknown raw file format '" ~ file_format ~ "'") }}
    {%- endif -%}
{% endmacro %}

{% macro _check_raw_columns(node, reader, pattern) %}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {%- set present = described.columns[0].values() | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in node.columns.values() if column.name | lower not in present -%}
        {%- do missing.append(column.name) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "Raw files '" ~ pattern ~ "' (source " ~ node.source_name ~ "." ~ node.name
            ~ ") lack the contracted column(s): " ~ missing | join(', ')
            ~ ". Rename the export's header or fix the contract in " ~ node.original_file_path
        ) }}
    {%- endif -%}
{% endmacro %}

{% macro _empty_raw_select(node) %}
    {%- set select_list = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do select_list.append(
            'cast(null as ' ~ column.data_type | default('varchar', true) ~ ') as '
            ~ adapter.quote(column.name)
        ) -%}
    {%- endfor -%}
    select {{ select_list | join(', ') }}, cast(null as varchar) as _source_file
{% endmacro %}
