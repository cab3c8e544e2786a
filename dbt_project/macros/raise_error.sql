{#- Fail the query with `message` (a SQL string expression). Used where a bad row must stop the
    build with a message naming the row, rather than be dropped or counted by a test later. -#}
{% macro raise_error(message) -%}
    {{ return(adapter.dispatch('raise_error', 'grants_warehouse')(message)) }}
{%- endmacro %}

{% macro default__raise_error(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__raise_error(message) -%}
    raise_error({{ message }})
{%- endmacro %}
