{#-
    The register's agreements (fct_project_grants) summed per `group_by` columns: projects,
    amount, distinct associations (recipient_org_key) and the period's fingerprint. The one body
    of int_agreements_by_domain and int_agreements_by_period.

    Incremental by period, as fct_project_grants (macros/incremental_by_period.sql): an
    incremental run sums again only the periods whose fingerprint there changed, and
    agreement_sums_config() drops the periods that left it.
-#}
{% macro agreement_sums_config() -%}
    {%- set model_config = {
        'materialized': 'incremental',
        'on_schema_change': 'fail',
        'pre_hook': "{{ drop_periods_missing_from(ref('fct_project_grants')) }}",
    } -%}
    {%- do model_config.update(replace_periods_config()) -%}
    {{ return(model_config) }}
{%- endmacro %}

{% macro sum_agreements(group_by) -%}
with agreements as (
    select * from {{ ref('fct_project_grants') }}
    {%- if is_incremental() %}
        where programme_period in (
            {{ changed_periods(ref('fct_project_grants'), this) | indent(12) }}
        )
    {%- endif %}
),

final as (
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        count(*) as projects,
        sum(amount_awarded) as amount_mad,
        count(distinct recipient_org_key) as associations,
        max(source_fingerprint) as source_fingerprint
    from agreements
    group by {{ group_by | join(', ') }}
)

select * from final
{%- endmacro %}
