{#-
    The status of one comparison against the register of known discrepancies, both ways:
    - `reconciled`: the published figure is exact (its bounds are the figure itself), the
      observed one equals it, and nothing is registered;
    - `within_stated_precision`: the published figure is approximate ("of the order of",
      "more than") and the observed one lies within its bounds, nothing registered: consistent,
      never counted as exact;
    - `known_discrepancy`: the difference and both figures are exactly the registered ones;
    - `unexplained`: anything else, a missing figure included.
    One rule for every reconciliation mart, which call it through reconciliation_columns
    (macros/compare_with_register.sql).
-#}
{% macro reconciliation_status() -%}
    case
        when difference is null then 'unexplained'
        when registered_difference is not null then
            case
                when difference = registered_difference
                    and published_value = registered_published_value
                    and summed_value = registered_summed_value
                    then case when difference = 0 then 'reconciled' else 'known_discrepancy' end
                else 'unexplained'
            end
        when lower_bound = published_value and upper_bound = published_value
            then case when difference = 0 then 'reconciled' else 'unexplained' end
        when (lower_bound is null or summed_value >= lower_bound)
            and (upper_bound is null or summed_value <= upper_bound)
            then 'within_stated_precision'
        else 'unexplained'
    end
{%- endmacro %}
