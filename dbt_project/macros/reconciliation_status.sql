{#-
    The status of one comparison against the register of known discrepancies, exactly and both
    ways: `reconciled` (no difference, nothing registered), `known_discrepancy` (the difference
    and both figures are the registered ones), `unexplained` (anything else, a missing figure
    included). One rule for mart_reconciliation and mart_ledger_reconciliation, which call it
    through reconciliation_columns (macros/compare_with_register.sql).
-#}
{% macro reconciliation_status() -%}
    case
        when difference is null then 'unexplained'
        when difference = coalesce(registered_difference, 0)
            and (registered_difference is null or (
                published_value = registered_published_value
                and summed_value = registered_summed_value))
            then case when difference = 0 then 'reconciled' else 'known_discrepancy' end
        else 'unexplained'
    end
{%- endmacro %}
