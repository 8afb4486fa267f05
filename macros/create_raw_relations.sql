{#- Expose every raw export declared in a source YAML as a view `raw.<identifier>`.

    Each source table's `meta` names its files (a glob under RAW_DATA_DIR) and format;
    its `columns` are the data contract. CSV and JSON files are read as text so that no
    malformed value can fail the build: staging parses, and quarantines what it cannot.
    A source whose files are absent becomes an empty view with the contracted columns,
    so a retailer without (say) a survey tool still gets every model built. -#}
{% macro create_raw_relations() %}
    {#- Malformed vars stop the run here, before anything is read or built. -#}
    {%- if execute -%}
        {%- do validate_vars() -%}
    {%- endif -%}
    {{- return(adapter.dispatch('create_raw_relations', 'customer_analytics')()) -}}
{% endmacro %}

{#- DuckDB reads the files in place. Every file is checked before its source's view is
    created, so that a bad export stops the run at the start with a message naming the file,
    the column and the fix (never later, halfway through the models):
    - a 0-byte file holds no rows: it is skipped with a warning;
    - a CSV / JSON-lines file that is not valid UTF-8 text is refused;
    - a CSV file whose header repeats a name or lacks a contracted column is refused;
      columns the contract does not name are ignored with a warning;
    - a Parquet file lacking a contracted column, or holding one of another type family
      (text where the contract says integer, floating point where it says integer, ...),
      is refused.
    Values are not checked here: staging parses them and quarantines what it cannot. -#}
{% macro duckdb__create_raw_relations() %}
    {%- if execute -%}
        {%- set raw_dir = env_var('RAW_DATA_DIR', 'data/raw') | replace('\\', '/') -%}
        {%- set ns = namespace(found=0) -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for node in graph.sources.values() if node.meta.get('files') -%}
            {%- set pattern = raw_dir.rstrip('/') ~ '/' ~ node.meta['files'] -%}
            {%- set file_format = node.meta.get('format', 'csv') -%}
            {%- set files = _checked_raw_files(node, file_format, pattern, raw_dir) -%}
            {%- set relation = 'raw.' ~ node.identifier -%}
            {%- if files -%}
                {%- set ns.found = ns.found + 1 -%}
                {%- set reader = _raw_file_reader(file_format, files, node) -%}
                {%- set select_list = [] -%}
                {%- for column in node.columns.values() -%}
                    {%- do select_list.append(_raw_column_select(file_format, column)) -%}
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

{#- The non-empty files matching `pattern`, as a SQL list literal (none when there are
    none), after the per-file checks described above.

    The files that pass are written to the register `raw._raw_files` (source, path, name,
    bytes, modification time), which the incremental base models read to tell new and
    changed files from those already loaded. A file already in the register with the same
    size and modification time was checked by an earlier run and is not read again, so a
    daily build reads only the bytes of new or changed files; the others cost a listing. -#}
{% macro _checked_raw_files(node, file_format, pattern, raw_dir) %}
    {%- do run_query(
        'create table if not exists raw._raw_files (source_name varchar, table_name varchar,'
        ~ ' file_path varchar, file_name varchar, file_bytes bigint,'
        ~ ' file_modified timestamp with time zone)'
    ) -%}
    {%- set source_filter = "source_name = '" ~ node.source_name ~ "' and table_name = '"
        ~ node.name ~ "'" -%}
    {%- set listing = run_query(
        "select listed.filename, listed.size, listed.last_modified is not distinct from"
        ~ " known.file_modified and listed.size = known.file_bytes as is_known,"
        ~ " strftime(listed.last_modified at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f')"
        ~ " from read_blob('" ~ pattern ~ "') as listed"
        ~ " left join (select * from raw._raw_files where " ~ source_filter ~ ") as known"
        ~ " on listed.filename = known.file_path order by listed.filename"
    ) -%}
    {%- set to_check = [] -%}
    {%- for row in listing.rows if row[1] > 0 and not row[2] -%}
        {%- do to_check.append("'" ~ row[0] | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- set checks = {} -%}
    {%- if to_check and file_format != 'parquet' -%}
        {%- set checked = run_query(
            "select filename, text is null as is_invalid_text,"
            ~ " ltrim(rtrim(regexp_extract(text, '^[^\\n]*'), chr(13)), chr(65279))"
            ~ " as first_line"
            ~ " from (select filename, try(decode(content)) as text"
            ~ " from read_blob([" ~ to_check | join(', ') ~ "]))"
        ) -%}
        {%- for row in checked.rows -%}
            {%- do checks.update({row[0]: row}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set contracted = node.columns.values() | map(attribute='name') | map('lower') | list -%}
    {%- set kept = [] -%}
    {%- set new_parquet = [] -%}
    {%- set register = [] -%}
    {%- for row in listing.rows -%}
        {%- set label = _raw_file_label(row[0], raw_dir, node) -%}
        {%- set check = checks.get(row[0]) -%}
        {%- if row[1] == 0 -%}
            {%- do log('Warning: ' ~ label ~ ' is an empty (0-byte) file; skipped.', info=true) -%}
        {%- elif check and check[1] -%}
            {{ exceptions.raise_compiler_error(
                label ~ " is not valid UTF-8 text (it holds bytes of another encoding, "
                ~ "e.g. GBK or Latin-1). Re-export the file as UTF-8."
            ) }}
        {%- else -%}
            {%- if check and file_format == 'csv' -%}
                {%- set header = [] -%}
                {%- for name in check[2].split(',') -%}
                    {%- do header.append(name | trim | trim('"') | trim | lower) -%}
                {%- endfor -%}
                {%- do _check_raw_header(label, header, contracted, node) -%}
            {%- endif -%}
            {%- if file_format == 'parquet' and not row[2] -%}
                {%- do new_parquet.append(row[0]) -%}
            {%- endif -%}
            {%- do kept.append(row[0]) -%}
            {%- set path = row[0] | replace("'", "''") -%}
            {%- do register.append(
                "('" ~ node.source_name ~ "', '" ~ node.name ~ "', '" ~ path ~ "', '"
                ~ path.replace('\\', '/').split('/')[-1] ~ "', " ~ row[1]
                ~ ", cast('" ~ row[3] ~ "' as timestamp) at time zone 'UTC')"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if new_parquet -%}
        {%- do _check_parquet_schemas(new_parquet, contracted, raw_dir, node) -%}
    {%- endif -%}
    {%- do run_query('delete from raw._raw_files where ' ~ source_filter) -%}
    {%- if register -%}
        {%- do run_query('insert into raw._raw_files values ' ~ register | join(', ')) -%}
    {%- endif -%}
    {%- if not kept -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for path in kept -%}
        {%- do quoted.append("'" ~ path | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {{ return('[' ~ quoted | join(', ') ~ ']') }}
{% endmacro %}

{% macro _raw_file_label(path, raw_dir, node) %}
    {%- set relative = path | replace('\\', '/') | replace(raw_dir.rstrip('/') ~ '/', '') -%}
    {{ return("Raw file '" ~ relative ~ "' (source " ~ node.source_name ~ "." ~ node.name ~ ")") }}
{% endmacro %}

{#- Refuse a header that repeats a name or lacks a contracted column; warn about extra
    columns, which are ignored. -#}
{% macro _check_raw_header(label, header, contracted, node) %}
    {%- set seen = [] -%}
    {%- for name in header -%}
        {%- if name in seen -%}
            {{ exceptions.raise_compiler_error(
                label ~ " names the column '" ~ name ~ "' twice in its header; which one holds "
                ~ "the data is ambiguous. Remove or rename the repeated column."
            ) }}
        {%- endif -%}
        {%- do seen.append(name) -%}
    {%- endfor -%}
    {%- do _check_column_names(label, header, contracted, node) -%}
{% endmacro %}

{% macro _check_column_names(label, present, contracted, node) %}
    {%- set missing = [] -%}
    {%- for name in contracted if name not in present -%}
        {%- do missing.append(name) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            label ~ " lacks the contracted column(s): " ~ missing | join(', ')
            ~ ". Rename the export's header or fix the contract in " ~ node.original_file_path
        ) }}
    {%- endif -%}
    {%- set extra = [] -%}
    {%- for name in present if name not in contracted -%}
        {%- do extra.append(name) -%}
    {%- endfor -%}
    {%- if extra -%}
        {%- do log(
            'Warning: ' ~ label ~ ' has column(s) the contract does not name, ignored: '
            ~ extra | join(', '), info=true
        ) -%}
    {%- endif -%}
{% endmacro %}

{#- Every Parquet file must hold every contracted column with a type of the contracted
    family: integers (any width) for integer / bigint, UTF-8 text for varchar. -#}
{% macro _check_parquet_schemas(files, contracted, raw_dir, node) %}
    {%- set quoted = [] -%}
    {%- for path in files -%}
        {%- do quoted.append("'" ~ path | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- set schema = run_query(
        "select file_name, lower(name), coalesce(type, ''), coalesce(converted_type, ''),"
        ~ " coalesce(logical_type, '') from parquet_schema([" ~ quoted | join(', ') ~ "])"
        ~ " where num_children is null or num_children = 0 order by file_name"
    ) -%}
    {%- set expected = {} -%}
    {%- for column in node.columns.values() -%}
        {%- set data_type = (column.data_type or 'varchar') | lower -%}
        {%- do expected.update({
            column.name | lower: 'integer' if data_type in ('integer', 'bigint') else 'text'
        }) -%}
    {%- endfor -%}
    {%- for path in files -%}
        {%- set label = _raw_file_label(path, raw_dir, node) -%}
        {%- set found = {} -%}
        {%- for row in schema.rows if row[0] == path -%}
            {%- if 'Null' in row[4] -%}
                {#- A column written without a single value fits any contracted type. -#}
                {%- set family = expected.get(row[1], 'text') -%}
            {%- elif row[2] in ('INT32', 'INT64') and 'DECIMAL' not in row[3] -%}
                {%- set family = 'integer' -%}
            {%- elif row[2] == 'BYTE_ARRAY' and (row[3] == 'UTF8' or 'String' in row[4]) -%}
                {%- set family = 'text' -%}
            {%- else -%}
                {%- set family = (row[3] or row[2]) | lower -%}
            {%- endif -%}
            {%- do found.update({row[1]: family}) -%}
        {%- endfor -%}
        {%- do _check_column_names(label, found.keys() | list, contracted, node) -%}
        {%- for name in contracted if found[name] != expected[name] -%}
            {{ exceptions.raise_compiler_error(
                label ~ " column '" ~ name ~ "' holds " ~ found[name] ~ " values; the contract in "
                ~ node.original_file_path ~ " says " ~ expected[name]
                ~ ". Re-export the column with that type."
            ) }}
        {%- endfor -%}
    {%- endfor -%}
{% endmacro %}

{#- Parquet columns are cast to their contracted type family (any integer width becomes
    bigint, so that an out-of-range value reaches staging's range checks instead of
    failing a cast); text formats are read as text. -#}
{% macro _raw_column_select(file_format, column) %}
    {%- set quoted = adapter.quote(column.name) -%}
    {%- if file_format != 'parquet' -%}
        {{ return(quoted) }}
    {%- endif -%}
    {%- set data_type = (column.data_type or 'varchar') | lower -%}
    {%- set target_type = 'bigint' if data_type in ('integer', 'bigint') else 'varchar' -%}
    {{ return('cast(' ~ quoted ~ ' as ' ~ target_type ~ ') as ' ~ quoted) }}
{% endmacro %}

{% macro _raw_file_reader(file_format, files, node) %}
    {%- if file_format == 'csv' -%}
        read_csv({{ files }}, header = true, all_varchar = true, union_by_name = true,
            filename = true, delim = ',', quote = '"', escape = '"')
    {%- elif file_format == 'parquet' -%}
        read_parquet({{ files }}, union_by_name = true, filename = true)
    {%- elif file_format == 'jsonl' -%}
        read_json({{ files }}, format = 'newline_delimited', filename = true,
            columns = { {%- for column in node.columns.values() -%}
                '{{ column.name }}': 'VARCHAR'{{ ', ' if not loop.last }}
            {%- endfor -%} })
    {%- else -%}
        {{ exceptions.raise_compiler_error("Unknown raw file format '" ~ file_format ~ "'") }}
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
