{#-
    Incremental models that replace whole periods, the same way on every engine: a refresh
    rewrites the periods whose source rows changed and drops the periods that left the source.

    - DuckDB: `delete+insert` keyed on `period`.
    - Spark (Parquet, no Delta): `insert_overwrite` of the table partitioned by `period`, which
      replaces exactly the partitions the new rows belong to.
-#}
{% macro replace_periods_config() -%}
    {{ return(adapter.dispatch('replace_periods_config')()) }}
{%- endmacro %}

{% macro default__replace_periods_config() -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': 'period'}) }}
{%- endmacro %}

{% macro spark__replace_periods_config() -%}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['period'], 'file_format': 'parquet'}) }}
{%- endmacro %}


{#- One value per group of rows that changes when any row of the group changes (an
    order-independent XOR of row hashes, with the row count). -#}
{% macro rows_fingerprint(columns) -%}
    {{ return(adapter.dispatch('rows_fingerprint')(columns)) }}
{%- endmacro %}

{% macro default__rows_fingerprint(columns) -%}
    cast(bit_xor(hash({{ columns | join(', ') }})) as {{ dbt.type_string() }})
    || ':' || cast(count(*) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__rows_fingerprint(columns) -%}
    cast(bit_xor(xxhash64({{ columns | join(', ') }})) as {{ dbt.type_string() }})
    || ':' || cast(count(*) as {{ dbt.type_string() }})
{%- endmacro %}


{#- Pre-hook of an incremental run: remove the periods no longer in `source_relation`
    (the model's own query only brings the periods that are there). -#}
{% macro drop_periods_missing_from(source_relation) -%}
    {% if execute and is_incremental() %}
        {% do adapter.dispatch('drop_periods_missing_from')(source_relation) %}
    {% endif %}
{%- endmacro %}

{% macro default__drop_periods_missing_from(source_relation) -%}
    {% do run_query(
        "delete from " ~ this ~ " where period not in (select period from " ~ source_relation ~ ")"
    ) %}
{%- endmacro %}

{% macro spark__drop_periods_missing_from(source_relation) -%}
    {% set vanished = run_query(
        "select distinct period from " ~ this ~ " where period not in (select period from " ~ source_relation ~ ")"
    ) %}
    {% for row in vanished.rows %}
        {% do run_query("alter table " ~ this ~ " drop if exists partition (period = '" ~ row[0] ~ "')") %}
    {% endfor %}
{%- endmacro %}


{#- The periods of `fresh` whose fingerprint is not the one `stored` holds for them: what an
    incremental run rebuilds. `fresh` is a relation or CTE name, `stored` the model's relation,
    both with `period` and `source_fingerprint` columns; a stored table built before it had one
    is a clear error, not a binder error. Its lines are not indented: a caller indents them to
    its own depth (`| indent(12)`). -#}
{% macro changed_periods(fresh, stored) -%}
    {%- if execute -%}
        {%- set stored_columns = adapter.get_columns_in_relation(stored) | map(attribute='name') | map('lower') | list -%}
        {%- if 'source_fingerprint' not in stored_columns -%}
            {{ exceptions.raise_compiler_error(
                stored ~ " has no source_fingerprint column: it was built by an earlier version"
                ~ " of this project, before it was incremental. Rebuild it once with"
                ~ " `python -m orchestration.cli --full-refresh` (dbt build --full-refresh)."
            ) }}
        {%- endif -%}
    {%- endif -%}
select fresh.period
from (select distinct period, source_fingerprint from {{ fresh }}) as fresh
left join (select distinct period, source_fingerprint from {{ stored }}) as stored
    on fresh.period = stored.period
    and fresh.source_fingerprint = stored.source_fingerprint
where stored.period is null
{%- endmacro %}
