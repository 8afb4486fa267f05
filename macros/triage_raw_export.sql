{#- The body of an incremental base model: read a raw export, parse and validate it
    (`transform_sql`: CTEs that read `source` and end with one named `validated`), and
    triage every row (`triage_rows`).

    The rows carry where they came from and under what they were validated:
    `_source_file` with its size and modification time (`_source_file_bytes`,
    `_source_file_modified`, from the register `raw._raw_files`), `_load_fingerprint` (a
    hash of the parsing and triage SQL as rendered, of the seeds and of the source's
    contract), `_latest_valid_date` (the date future timestamps were judged against) and
    `_loaded_at` (the start of the run that read the row; UTC).

    On DuckDB the model is incremental (strategy `retriage`). A run reads only:
    - files not loaded yet;
    - stale files: loaded, but changed since (size or modification time), gone, loaded
      under other parsing code, seeds or contract, or judged against a later latest valid
      date than today's; plus any file `stale_files_sql` names (a query of `_source_file`
      values, e.g. lines whose parent order changed state).
    Rows quarantined as `future_timestamp` under an earlier latest valid date (by default
    the day of the run, so every day) are validated again from their raw values, without
    reading their files.
    The keys of the rows read, and of the stale files' old rows, are the affected keys:
    their rows still loaded from other files are triaged again together with the rows
    read, so a late version supersedes the one loaded before, a re-exported copy becomes an
    `exact_duplicate`, and a version that vanished with its file gives way to the one
    before it. The strategy deletes the affected keys' rows and the stale files' rows, and
    inserts the new triage. Rows of other keys keep their triage, which no new row can
    change: triage is per key. The result equals a full refresh of the same files.

    On other engines the model is a table, rebuilt in full. -#}
{% macro triage_raw_export(
    source_name, table_name, transform_sql, raw_columns, key_columns,
    version_order=none, stale_files_sql=none
) %}
    {%- set source_relation = source(source_name, table_name) -%}
    {%- set lvd = latest_valid_date() | trim -%}
    {#- dbt unit tests render the model without a relation (`this` is none). -#}
    {%- set incremental = target.type == 'duckdb' and this is not none and is_incremental() -%}
    {#- The fingerprint leaves out what does not change a row: the latest valid date
        (see below) and the database name (a warehouse file's name, which a copy changes). -#}
    {%- set fingerprint = _raw_export_fingerprint(
        source_name, table_name,
        transform_sql
        | replace(lvd, '<latest valid date>')
        | replace(adapter.quote(this.database) ~ '.' if this else '', ''),
        triage_rows('validated', raw_columns, key_columns, version_order)
    ) -%}
    {%- set stamps -%}
        '{{ fingerprint }}' as _load_fingerprint,
    {{ lvd }} as _latest_valid_date,
    cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') }}' as timestamp) as _loaded_at
    {%- endset -%}
    {%- set plan = {'read': none, 'stale': [], 'carry': false} -%}
    {%- if incremental and execute -%}
        {%- set plan = _raw_export_plan(
            source_name, table_name, fingerprint, lvd, stale_files_sql
        ) -%}
    {%- endif %}
with

source as (
    {%- if not incremental %}
    {{ _raw_export_rows(source_relation, source_name, table_name, stamps) | indent(4) }}
    {%- else %}
    {{ _raw_export_new_rows(source_name, table_name, plan['read'], stamps) | indent(4) }}
    {%- if plan['carry'] %}
    union all by name
    -- Rows quarantined as future_timestamp under an earlier latest valid date are
    -- validated again (from their raw values) in place, keeping their file's stamps.
    select
        {% for column in plan['raw_columns'] -%}
        {{ column }},
        {% endfor -%}
        _source_file,
        _source_file_bytes,
        _source_file_modified,
        _load_fingerprint,
        {{ lvd }} as _latest_valid_date,
        _loaded_at
    from {{ this }} as loaded
    where {{ _revalidated(lvd, plan['stale']) }}
    {%- endif %}
    {%- endif %}
),

{{ transform_sql }},

{%- if plan['carry'] %}

affected_keys as (
    select distinct {{ key_columns | join(', ') }}
    from validated
    where {{ key_columns | join(' is not null and ') }} is not null
    {%- if plan['stale'] %}
    union
    select distinct {{ key_columns | join(', ') }}
    from {{ this }}
    where
        _source_file in ({{ _sql_strings(plan['stale']) }})
        and {{ key_columns | join(' is not null and ') }} is not null
    {%- endif %}
),

retriage_input as (
    select {{ plan['columns'] | join(', ') }}
    from validated
    union all
    select {{ plan['columns'] | join(', ') }}
    from {{ this }} as loaded
    where
        {% if plan['stale'] -%}
        loaded._source_file not in ({{ _sql_strings(plan['stale']) }})
        and {% endif -%}
        not ({{ _revalidated(lvd, plan['stale']) }})
        and exists (
            select 1
            from affected_keys
            where
                {% for column in key_columns -%}
                affected_keys.{{ column }} = loaded.{{ column }}
                {%- if not loop.last %}
                and {% endif %}
                {%- endfor %}
        )
),
{%- endif %}

triaged as (
    {{ triage_rows(
        relation='retriage_input' if plan['carry'] else 'validated',
        raw_columns=raw_columns,
        key_columns=key_columns,
        version_order=version_order,
    ) | indent(4) }}
)

select * from triaged
{%- endmacro %}

{#- Every row of the raw view, stamped with its file's register entry. -#}
{% macro _raw_export_rows(source_relation, source_name, table_name, stamps) %}
    {%- if target.type == 'duckdb' -%}
select
    raw_rows.*,
    files.file_bytes as _source_file_bytes,
    files.file_modified as _source_file_modified,
    {{ stamps }}
from {{ source_relation }} as raw_rows
left join raw._raw_files as files
    on
        files.source_name = '{{ source_name }}'
        and files.table_name = '{{ table_name }}'
        and raw_rows._source_file = files.file_name
    {%- else -%}
select
    raw_rows.*,
    cast(null as bigint) as _source_file_bytes,
    cast(null as timestamp) as _source_file_modified,
    {{ stamps }}
from {{ source_relation }} as raw_rows
    {%- endif -%}
{% endmacro %}

{#- The rows of `paths` only (DuckDB reads just those files), with the columns of the raw
    view and the register's stamps; no rows when `paths` is empty. -#}
{% macro _raw_export_new_rows(source_name, table_name, paths, stamps) %}
    {%- set node = _raw_export_node(source_name, table_name) -%}
    {%- set file_format = node.meta.get('format', 'csv') -%}
    {%- if not paths -%}
{{ _empty_raw_select(node) }},
    cast(null as bigint) as _source_file_bytes,
    cast(null as timestamp with time zone) as _source_file_modified,
    {{ stamps }}
where false
    {%- else -%}
        {%- set select_list = [] -%}
        {%- for column in node.columns.values() -%}
            {%- do select_list.append(_raw_column_select(file_format, column)) -%}
        {%- endfor -%}
select
    raw_rows.*,
    files.file_bytes as _source_file_bytes,
    files.file_modified as _source_file_modified,
    {{ stamps }}
from (
    select
        {{ select_list | join(', ') }},
        parse_filename(filename) as _source_file
    from {{ _raw_file_reader(file_format, '[' ~ _sql_strings(paths) ~ ']', node) }}
) as raw_rows
left join raw._raw_files as files
    on
        files.source_name = '{{ source_name }}'
        and files.table_name = '{{ table_name }}'
        and raw_rows._source_file = files.file_name
    {%- endif -%}
{% endmacro %}

{#- What an incremental run reads and keeps: `read`, the paths of new and stale files;
    `stale`, the names of stale files already loaded; `carry`, whether loaded rows of
    other files take part (false when every loaded file is stale); `columns`, the loaded
    columns that go back into triage. -#}
{% macro _raw_export_plan(source_name, table_name, fingerprint, lvd, stale_files_sql) %}
    {%- set loaded_columns = adapter.get_columns_in_relation(this) -%}
    {%- if '_load_fingerprint' not in loaded_columns | map(attribute='name') | map('lower') | list -%}
        {#- A table built before these models were incremental: read every file. -#}
        {%- set everything = run_query(
            "select file_path from raw._raw_files where source_name = '" ~ source_name
            ~ "' and table_name = '" ~ table_name ~ "'"
        ).columns[0].values() | list -%}
        {{ return({'read': everything, 'stale': [], 'carry': false}) }}
    {%- endif -%}
    {%- set files_filter -%}
        files.source_name = '{{ source_name }}' and files.table_name = '{{ table_name }}'
    {%- endset -%}
    {%- set query -%}
        with loaded as (
            select
                _source_file,
                min(_source_file_bytes) as file_bytes,
                min(_source_file_modified) as file_modified,
                bool_or(_load_fingerprint <> '{{ fingerprint }}') as is_other_code,
                bool_or(_latest_valid_date > {{ lvd }}) as is_judged_later
            from {{ this }}
            group by _source_file
        ),

        stale as (
            select loaded._source_file
            from loaded
            left join raw._raw_files as files
                on {{ files_filter }} and loaded._source_file = files.file_name
            where
                files.file_name is null
                or files.file_bytes is distinct from loaded.file_bytes
                or files.file_modified is distinct from loaded.file_modified
                or loaded.is_other_code
                or loaded.is_judged_later
            {%- if stale_files_sql %}
            union
            select _source_file from ({{ stale_files_sql }}) as named
            {%- endif %}
        )

        select 'stale' as kind, _source_file as value from stale
        union all
        select 'read', files.file_path
        from raw._raw_files as files
        where
            {{ files_filter }}
            and (
                files.file_name in (select _source_file from stale)
                or files.file_name not in (select _source_file from loaded)
            )
        union all
        select 'loaded', cast(count(*) as varchar) from loaded
    {%- endset -%}
    {%- set result = run_query(query) -%}
    {%- set plan = {'read': [], 'stale': [], 'loaded': 0} -%}
    {%- for row in result.rows -%}
        {%- if row[0] == 'loaded' -%}
            {%- do plan.update({'loaded': row[1] | int}) -%}
        {%- else -%}
            {%- do plan[row[0]].append(row[1]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do plan.update({'carry': plan['loaded'] > plan['stale'] | length}) -%}
    {%- set derived = [
        'key_row_number', 'is_copy_of_previous', 'copy_number', 'version_number',
        'row_status', 'row_status_reason',
    ] -%}
    {%- set columns = [] -%}
    {%- for column in loaded_columns if column.name | lower not in derived -%}
        {%- do columns.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- do plan.update({'columns': columns}) -%}
    {%- set raw_columns = [] -%}
    {%- for column in _raw_export_node(source_name, table_name).columns.values() -%}
        {%- do raw_columns.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- do plan.update({'raw_columns': raw_columns}) -%}
    {%- do log(
        this.identifier ~ ': ' ~ plan['read'] | length ~ ' file(s) to read, '
        ~ plan['stale'] | length ~ ' of ' ~ plan['loaded'] ~ ' loaded file(s) stale',
        info=false
    ) -%}
    {{ return(plan) }}
{% endmacro %}

{#- A hash of what decides a row's parsing and triage: the model's parsing SQL as
    rendered (vars and macros expanded, the latest valid date left out), the triage SQL,
    the source's contract and accepted values, and the seeds. -#}
{% macro _raw_export_fingerprint(source_name, table_name, transform_sql, triage_sql) %}
    {%- set parts = [transform_sql, triage_sql] -%}
    {#- dbt unit tests run without the graph: their fingerprint is never compared. -#}
    {%- if execute and graph.get('sources') -%}
        {%- set node = _raw_export_node(source_name, table_name) -%}
        {%- do parts.append(tojson(node.columns)) -%}
        {%- do parts.append(tojson(node.meta)) -%}
        {%- for seed in graph.nodes.values() | sort(attribute='unique_id')
            if seed.resource_type == 'seed' -%}
            {%- do parts.append(seed.unique_id ~ '=' ~ seed.checksum.checksum) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(local_md5(parts | join('\n'))) }}
{% endmacro %}

{% macro _raw_export_node(source_name, table_name) %}
    {%- for node in graph.sources.values()
        if node.source_name == source_name and node.name == table_name -%}
        {{ return(node) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "No source " ~ source_name ~ "." ~ table_name ~ " is declared in a sources YAML."
    ) }}
{% endmacro %}

{#- Loaded rows, outside stale files, quarantined as future_timestamp when the latest
    valid date was earlier than today's: an incremental run validates them again. -#}
{% macro _revalidated(lvd, stale) -%}
    coalesce(loaded.reject_reason, '') = 'future_timestamp'
    and loaded._latest_valid_date < {{ lvd }}
    {%- if stale %}
    and loaded._source_file not in ({{ _sql_strings(stale) }})
    {%- endif %}
{%- endmacro %}

{% macro _sql_strings(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ value | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{% endmacro %}

{#- Incremental strategy `retriage` (see `triage_raw_export`): delete the rows of the
    affected keys (those in the new batch), of files changed or gone since they were
    loaded, and of files the batch read again (its rows of that file have a later
    `_loaded_at`; rows carried into the batch keep theirs); then insert the batch. -#}
{% macro get_incremental_retriage_sql(arg_dict) %}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set temp_relation = arg_dict['temp_relation'] -%}
    {%- set key_columns = arg_dict['unique_key'] -%}
    {%- if key_columns is string -%}
        {%- set key_columns = [key_columns] -%}
    {%- endif -%}
    {%- set source_name, table_name = model.sources[0] -%}
    {%- set columns = [] -%}
    {%- for column in arg_dict['dest_columns'] -%}
        {%- do columns.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
delete from {{ target_relation }}
where
    exists (
        select 1
        from (
            select distinct {{ key_columns | join(', ') }} from {{ temp_relation }}
        ) as batch_keys
        where
            {% for column in key_columns -%}
            batch_keys.{{ column }} = {{ target_relation }}.{{ column }}
            {%- if not loop.last %}
            and {% endif %}
            {%- endfor %}
    )
    or not exists (
        select 1
        from raw._raw_files as files
        where
            files.source_name = '{{ source_name }}'
            and files.table_name = '{{ table_name }}'
            and files.file_name = {{ target_relation }}._source_file
            and files.file_bytes = {{ target_relation }}._source_file_bytes
            and files.file_modified = {{ target_relation }}._source_file_modified
    )
    or exists (
        select 1
        from (select distinct _source_file, _loaded_at from {{ temp_relation }}) as batch_files
        where
            batch_files._source_file = {{ target_relation }}._source_file
            and batch_files._loaded_at <> {{ target_relation }}._loaded_at
    );

insert into {{ target_relation }} ({{ columns | join(', ') }})
select {{ columns | join(', ') }}
from {{ temp_relation }}
{%- endmacro %}
