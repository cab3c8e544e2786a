{#-
    On Spark, the raw layer is the validated seeds as Parquet files (one per table, written by
    the orchestration layer: orchestration/lib/dbt/spark_handover.py), declared as views in schema `raw` before
    the models run. On DuckDB the loader writes `raw.*` itself, so this does nothing.
-#}
{% macro create_raw_views_from_parquet() %}
    {%- if execute and target.type == 'spark' -%}
        {%- set directory = env_var('GRANTS_RAW_PARQUET_DIR') -%}
        {%- do run_query("create schema if not exists raw") -%}
        {%- for source in graph.sources.values() if source.source_name == 'report' -%}
            {%- do run_query(
                "create or replace view raw." ~ source.name
                ~ " as select * from parquet.`" ~ directory ~ "/" ~ source.name ~ ".parquet`"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
