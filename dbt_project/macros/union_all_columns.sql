{#-
    The same `columns` selected from each of `relations`, joined by union all (standard SQL): where
    relations with different column lists hold rows of one kind.
-#}
{% macro union_all_columns(relations, columns) -%}
    {%- for relation in relations %}
    select
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
