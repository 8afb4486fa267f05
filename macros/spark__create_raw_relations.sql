{#- Spark form of `create_raw_relations`: Spark reads the export files in place, like DuckDB.
    Each source table becomes two relations in the `raw` database:
    - `raw.<identifier>__files`, an external table over its non-empty files (CSV with a
      header, every column read as text; JSON lines with the contracted columns as text;
      Parquet with the types the files hold);
    - `raw.<identifier>`, a view with exactly the columns of the DuckDB raw views: the
      contracted columns (CSV and JSON as text; Parquet integers as bigint, the rest as
      text) plus `_source_file`, the file's name.
    Both are permanent (not temporary views): dbt's staging views may not read temporary
    views on Spark. The files are listed once (one `binaryFile` scan of RAW_DATA_DIR, names
    and sizes only); a 0-byte file is skipped with a warning, and a source without files
    becomes an empty view with the contracted columns. The per-file checks of the DuckDB
    form (encoding, headers, Parquet types) are not repeated here: Spark refuses a file
    lacking a contracted column when the view is created, naming the column. -#}
{% macro spark__create_raw_relations() %}
    {%- if execute -%}
        {%- set raw_dir = env_var('RAW_DATA_DIR', 'data/raw') | replace('\\', '/') -%}
        {%- set raw_root = _spark_absolute_path(raw_dir.rstrip('/')) -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- do run_query(
            "create or replace temporary view raw_files_listing using binaryFile"
            ~ " options (path '" ~ raw_root ~ "',"
            ~ " recursiveFileLookup 'true')"
        ) -%}
        {%- set listing = run_query(
            'select path, length from raw_files_listing order by path'
        ) -%}
        {%- set ns = namespace(found=0) -%}
        {%- for node in graph.sources.values() if node.meta.get('files') -%}
            {%- set file_format = node.meta.get('format', 'csv') -%}
            {%- set files = _spark_matching_files(listing, raw_root, node) -%}
            {%- set relation = 'raw.' ~ node.identifier -%}
            {%- do run_query('drop view if exists ' ~ relation) -%}
            {%- do run_query('drop table if exists ' ~ relation ~ '__files') -%}
            {%- if files -%}
                {%- set ns.found = ns.found + 1 -%}
                {%- do run_query(
                    _spark_files_table(relation ~ '__files', file_format, files, node)
                ) -%}
                {%- set select_list = [] -%}
                {%- for column in node.columns.values() -%}
                    {%- do select_list.append(_spark_raw_column_select(file_format, column)) -%}
                {%- endfor -%}
                {%- do run_query(
                    'create or replace view ' ~ relation ~ ' as select '
                    ~ select_list | join(', ')
                    ~ ', _metadata.file_name as _source_file from ' ~ relation ~ '__files'
                ) -%}
            {%- else -%}
                {%- do run_query(
                    'create or replace view ' ~ relation ~ ' as '
                    ~ _spark_empty_raw_select(node) ~ ' where false'
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

{#- Spark resolves a relative path against its warehouse directory, not the working
    directory: make it absolute (the environment's PWD is the directory dbt runs in). -#}
{% macro _spark_absolute_path(path) %}
    {%- if path.startswith('/') or ':' in path -%}
        {{ return(path) }}
    {%- endif -%}
    {{ return(env_var('PWD').rstrip('/') ~ '/' ~ path) }}
{% endmacro %}

{#- The non-empty files of the listing that match the source's glob (`*` and `?` within
    one path segment), as full paths. -#}
{% macro _spark_matching_files(listing, raw_root, node) %}
    {%- set ns = namespace(pattern='') -%}
    {%- for token in modules.re.findall('[*?]|[^*?]+', node.meta['files']) -%}
        {%- if token == '*' -%}
            {%- set ns.pattern = ns.pattern ~ '[^/]*' -%}
        {%- elif token == '?' -%}
            {%- set ns.pattern = ns.pattern ~ '[^/]' -%}
        {%- else -%}
            {%- set ns.pattern = ns.pattern ~ modules.re.escape(token) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set matcher = modules.re.compile('^(file:)?/*' ~ modules.re.escape(raw_root.lstrip('/'))
        ~ '/' ~ ns.pattern ~ '$') -%}
    {%- set kept = [] -%}
    {%- for row in listing.rows if matcher.match(row[0]) -%}
        {%- if row[1] == 0 -%}
            {%- do log(
                "Warning: Raw file '" ~ row[0].split('/')[-1] ~ "' (source " ~ node.source_name
                ~ "." ~ node.name ~ ") is an empty (0-byte) file; skipped.", info=true
            ) -%}
        {%- else -%}
            {%- do kept.append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(kept) }}
{% endmacro %}

{#- An external table over the given files (a Hadoop glob `{a,b}` of their names: the files
    of one source share a folder). -#}
{% macro _spark_files_table(relation, file_format, files, node) %}
    {%- set folder = files[0].rsplit('/', 1)[0] -%}
    {%- set names = [] -%}
    {%- for path in files -%}
        {%- do names.append(path.rsplit('/', 1)[1] | replace(',', '\\,')) -%}
    {%- endfor -%}
    {%- set path = files[0] if files | length == 1
        else folder ~ '/{' ~ names | join(',') ~ '}' -%}
    {%- if file_format == 'csv' -%}
        {#- No schema: the header names the columns, all read as text; quotes are doubled
            inside quoted values (RFC 4180), which may span lines. -#}
        {{ return(
            'create table ' ~ relation ~ " using csv options (path '" ~ path ~ "',"
            ~ " header 'true', inferSchema 'false', multiLine 'true', quote '\"',"
            ~ " escape '\"', encoding 'UTF-8', mode 'PERMISSIVE')"
        ) }}
    {%- elif file_format == 'jsonl' -%}
        {%- set columns = [] -%}
        {%- for column in node.columns.values() -%}
            {%- do columns.append(adapter.quote(column.name) ~ ' string') -%}
        {%- endfor -%}
        {{ return(
            'create table ' ~ relation ~ ' (' ~ columns | join(', ') ~ ')'
            ~ " using json options (path '" ~ path ~ "', mode 'PERMISSIVE')"
        ) }}
    {%- elif file_format == 'parquet' -%}
        {{ return(
            'create table ' ~ relation ~ " using parquet options (path '" ~ path ~ "',"
            ~ " mergeSchema 'true')"
        ) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("Unknown raw file format '" ~ file_format ~ "'") }}
    {%- endif -%}
{% endmacro %}

{#- As `_raw_column_select`: Parquet integers as bigint, the rest as text. -#}
{% macro _spark_raw_column_select(file_format, column) %}
    {%- set quoted = adapter.quote(column.name) -%}
    {%- set data_type = (column.data_type or 'varchar') | lower -%}
    {%- set target_type = 'bigint' if file_format == 'parquet'
        and data_type in ('integer', 'bigint') else 'string' -%}
    {{ return('cast(' ~ quoted ~ ' as ' ~ target_type ~ ') as ' ~ quoted) }}
{% endmacro %}

{% macro _spark_empty_raw_select(node) %}
    {%- set select_list = [] -%}
    {%- for column in node.columns.values() -%}
        {%- set data_type = (column.data_type or 'varchar') | lower -%}
        {%- do select_list.append(
            'cast(null as ' ~ ('bigint' if data_type in ('integer', 'bigint') else 'string')
            ~ ') as ' ~ adapter.quote(column.name)
        ) -%}
    {%- endfor -%}
    select {{ select_list | join(', ') }}, cast(null as string) as _source_file
{% endmacro %}
