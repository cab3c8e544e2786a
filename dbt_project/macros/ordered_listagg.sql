{#-
    `measure` values of a group joined by `delimiter_text` in the order of `order_by_column`,
    on every engine. dbt's listagg takes an ORDER BY on DuckDB but ignores it on Spark (its
    collect_list has no defined order), so Spark sorts (order, value) pairs itself.
-#}
{% macro ordered_listagg(measure, delimiter_text, order_by_column) -%}
    {{ return(adapter.dispatch('ordered_listagg')(measure, delimiter_text, order_by_column)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter_text, order_by_column) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ order_by_column) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter_text, order_by_column) -%}
    array_join(
        transform(
            array_sort(collect_list(struct({{ order_by_column }} as sort_key, {{ measure }} as value))),
            pair -> pair.value
        ),
        {{ delimiter_text }}
    )
{%- endmacro %}
