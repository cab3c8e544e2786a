{#-
    On Spark, the marts this run built are handed back as Parquet: one folder per mart under
    GRANTS_MARTS_PARQUET_DIR, its columns in the contract's order (a partitioned Spark table
    keeps its partition column last, and an empty one has no file at all). The orchestration
    layer reads them into the DuckDB file the checks and BI users read (orchestration/lib/dbt/spark_handover.py).
    On DuckDB the marts are already in that file, so this does nothing.
-#}
{% macro export_marts_to_parquet(results) %}
    {%- if execute and target.type == 'spark' and env_var('GRANTS_MARTS_PARQUET_DIR', '') -%}
        {%- set directory = env_var('GRANTS_MARTS_PARQUET_DIR') -%}
        {%- for result in results
              if result.node.resource_type == 'model' and result.node.config.schema == 'marts'
              and result.status == 'success' -%}
            {%- set node = result.node -%}
            {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
            {%- if relation is not none -%}
                {%- do run_query(
                    "insert overwrite directory '" ~ directory ~ "/" ~ node.alias ~ "' using parquet"
                    ~ " select " ~ (node.columns.keys() | join(', ')) ~ " from " ~ relation
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
