{#- Generic test: every row satisfies the SQL boolean `expression`
    (what dbt_utils.expression_is_true does; dbt packages cannot be installed here). -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
