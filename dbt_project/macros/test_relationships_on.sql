{#- Generic test: every row's `columns` (not null) are found together in `to`'s same-named
    columns: dbt's `relationships` for a key of several columns (a period is a programme's). -#}
{% test relationships_on(model, to, columns) %}
    {#- The key columns only: a failing row is named by them, and a view tested (a staging model
        of 10^7 agreements) then computes those columns alone, not all of them (7.5 s to 1 s). #}
    select {% for column in columns %}child.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ model }} as child
    where
        {% for column in columns -%}
        child.{{ column }} is not null {{ 'and' if not loop.last }}
        {% endfor -%}
        and not exists (
            select 1
            from {{ to }} as parent
            where
                {% for column in columns -%}
                parent.{{ column }} = child.{{ column }} {{ 'and' if not loop.last }}
                {% endfor %}
        )
{% endtest %}
