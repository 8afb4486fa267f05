{#- PostgreSQL cannot read the export files: scripts/load_raw_postgres.py loads them into
    tables `raw.<identifier>` first (same columns as the DuckDB raw views). This only checks
    that every declared raw table is there, and says how to load them when one is not. -#}
{% macro postgres__create_raw_relations() %}
    {%- if execute -%}
        {%- set expected = [] -%}
        {%- for node in graph.sources.values() if node.meta.get('files') -%}
            {%- do expected.append(node.identifier | lower) -%}
        {%- endfor -%}
        {%- set found = run_query(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).columns[0].values() | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for identifier in expected | sort if identifier not in found -%}
            {%- do missing.append('raw.' ~ identifier) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "PostgreSQL raw table(s) missing: " ~ missing | join(', ')
                ~ ". Load the raw exports first: `python scripts/load_raw_postgres.py "
                ~ "--raw-dir <RAW_DATA_DIR>` (same PG* environment variables as the pg target)."
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
