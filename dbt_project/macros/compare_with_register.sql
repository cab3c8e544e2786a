{#-
    The two halves of a reconciliation mart (mart_reconciliation, mart_ledger_reconciliation),
    around the rule in reconciliation_status().

    compare_with_register: the figures of the CTE `observed` (published_value, the bounds of its
    true value lower_bound and upper_bound, summed_value, difference and `extra_columns`)
    full-joined on `keys` with the register of known
    discrepancies in the CTE `register`, so that a registered gap whose rows disappeared still
    shows (and fails). A key in `null_safe_keys` matches null with null.
-#}
{% macro compare_with_register(
    keys, extra_columns=[], null_safe_keys=[], observed='observed', register='register'
) -%}
    select
        {%- for key in keys %}
        coalesce({{ observed }}.{{ key }}, {{ register }}.{{ key }}) as {{ key }},
        {%- endfor %}
        {{ observed }}.published_value,
        {{ observed }}.lower_bound,
        {{ observed }}.upper_bound,
        {%- for column in extra_columns %}
        {{ observed }}.{{ column }},
        {%- endfor %}
        {{ observed }}.summed_value,
        {{ observed }}.difference,
        {{ register }}.published_value as registered_published_value,
        {{ register }}.summed_value as registered_summed_value,
        {{ register }}.difference as registered_difference,
        {{ register }}.explanation
    from {{ observed }}
    full outer join {{ register }}
        {%- for key in keys %}
        {{ 'on' if loop.first else 'and' }}
        {%- if key in null_safe_keys %}
        coalesce({{ observed }}.{{ key }}, '') = coalesce({{ register }}.{{ key }}, '')
        {%- else %} {{ observed }}.{{ key }} = {{ register }}.{{ key }}
        {%- endif %}
        {%- endfor %}
{%- endmacro %}

{#-
    reconciliation_columns: the published columns of a reconciliation mart, from the relation
    `compared` (compare_with_register's rows): `keys` as strings, the figures as bigint, in the
    order keys, published_value, its bounds, `extra_columns`, summed_value, difference, the
    registered figures, status (reconciliation_status()) and explanation.
-#}
{% macro reconciliation_columns(keys, extra_columns=[], compared='compared') -%}
    select
        {%- for key in keys %}
        cast({{ key }} as {{ dbt.type_string() }}) as {{ key }},
        {%- endfor %}
        cast(published_value as bigint) as published_value,
        cast(lower_bound as decimal(18, 1)) as lower_bound,
        cast(upper_bound as decimal(18, 1)) as upper_bound,
        {%- for column in extra_columns %}
        cast({{ column }} as bigint) as {{ column }},
        {%- endfor %}
        cast(summed_value as bigint) as summed_value,
        cast(difference as bigint) as difference,
        cast(registered_published_value as bigint) as registered_published_value,
        cast(registered_summed_value as bigint) as registered_summed_value,
        cast(registered_difference as bigint) as registered_difference,
        cast({{ reconciliation_status() }} as {{ dbt.type_string() }}) as status,
        cast(explanation as {{ dbt.type_string() }}) as explanation
    from {{ compared }}
{%- endmacro %}
