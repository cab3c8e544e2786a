{#-
    Incremental models that replace whole periods of a programme, the same way on every engine:
    a refresh rewrites the programme periods whose source rows changed and drops those that left
    the source. The unit is `programme_period` (programme_id.period): two programmes' 2017 are two
    units, so rewriting one never touches the other.

    - DuckDB: `delete+insert` keyed on `programme_period`.
    - Spark (Parquet, no Delta): `insert_overwrite` of the table partitioned by
      `programme_period`, which replaces exactly the partitions the new rows belong to.
-#}
{% macro replace_periods_config() -%}
    {{ return(adapter.dispatch('replace_periods_config')()) }}
{%- endmacro %}

{% macro default__replace_periods_config() -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': 'programme_period'}) }}
{%- endmacro %}

{% macro spark__replace_periods_config() -%}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['programme_period'], 'file_format': 'parquet'}) }}
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


{#- Pre-hook of an incremental run: remove the programme periods no longer in `source_relation`
    (the model's own query only brings the ones that are there). -#}
{% macro drop_periods_missing_from(source_relation) -%}
    {% if execute and is_incremental() %}
        {% do adapter.dispatch('drop_periods_missing_from')(source_relation) %}
    {% endif %}
{%- endmacro %}

{% macro default__drop_periods_missing_from(source_relation) -%}
    {% do run_query(
        "delete from " ~ this ~ " where programme_period not in (select programme_period from " ~ source_relation ~ ")"
    ) %}
{%- endmacro %}

{% macro spark__drop_periods_missing_from(source_relation) -%}
    {% set vanished = run_query(
        "select distinct programme_period from " ~ this ~ " where programme_period not in (select programme_period from " ~ source_relation ~ ")"
    ) %}
    {% for row in vanished.rows %}
        {% do run_query("alter table " ~ this ~ " drop if exists partition (programme_period = '" ~ row[0] ~ "')") %}
    {% endfor %}
{%- endmacro %}


{#- The programme periods of `fresh` whose fingerprint is not the one `stored` holds for them:
    what an incremental run rebuilds. `fresh` is a relation or CTE name, `stored` the model's
    relation, both with `programme_period` and `source_fingerprint` columns; a stored table built
    before it had them is a clear error, not a binder error. Its lines are not indented: a caller indents them to
    its own depth (`| indent(12)`). -#}
{% macro changed_periods(fresh, stored) -%}
    {%- if execute -%}
        {%- set stored_columns = adapter.get_columns_in_relation(stored) | map(attribute='name') | map('lower') | list -%}
        {%- set missing = ['source_fingerprint', 'programme_period'] | reject('in', stored_columns) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                stored ~ " has no " ~ (missing | join(' or ')) ~ " column: it was built by an"
                ~ " earlier version of this project (before it was incremental, or before it was"
                ~ " keyed by programme). Rebuild it once with"
                ~ " `python -m orchestration.cli --full-refresh` (dbt build --full-refresh)."
            ) }}
        {%- endif -%}
    {%- endif -%}
select fresh.programme_period
from (select distinct programme_period, source_fingerprint from {{ fresh }}) as fresh
left join (select distinct programme_period, source_fingerprint from {{ stored }}) as stored
    on fresh.programme_period = stored.programme_period
    and fresh.source_fingerprint = stored.source_fingerprint
where stored.programme_period is null
{%- endmacro %}
