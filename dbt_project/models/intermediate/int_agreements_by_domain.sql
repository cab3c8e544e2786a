-- The grant agreements summed per programme, period and domain: projects, amount and distinct
-- associations (macros/sum_agreements.sql). Incremental by programme period, as
-- fct_project_grants.
{{ config(**agreement_sums_config()) }}

{{ sum_agreements(group_by=['programme_id', 'period', 'programme_period', 'domain_code']) }}
