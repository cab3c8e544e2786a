{#-
    The rows of `relation` turned into one row per row and measure (standard SQL, one select per
    measure joined by union all): `keys`, the measure's name as `measure`, its value as
    `value_column`, then `columns` (column names, or expressions with their alias); only the rows
    where `where` holds, if given.
-#}
{% macro unpivot_measures(
    relation, measures, value_column, keys=['period'], columns=[], where=none
) -%}
    {%- for measure in measures %}
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        '{{ measure }}' as measure,
        {{ measure }} as {{ value_column }}
        {%- for column in columns %},
        {{ column }}
        {%- endfor %}
    from {{ relation }}
    {%- if where is not none %}
    where {{ where }}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
