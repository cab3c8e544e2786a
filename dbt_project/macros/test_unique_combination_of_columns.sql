{#- Generic test: no two rows share the same values in `combination_of_columns`
    (what dbt_utils.unique_combination_of_columns does; dbt packages cannot be installed here). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') %}
    select {{ columns_csv }}, count(*) as rows_with_these_values
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endtest %}
