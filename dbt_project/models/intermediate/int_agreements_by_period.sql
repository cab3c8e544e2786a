-- The grant agreements summed per programme and period (macros/sum_agreements.sql). Associations
-- are counted distinct over the whole period (an association with projects in two domains counts
-- once), not summed over domains. Incremental by programme period, as fct_project_grants.
{{ config(**agreement_sums_config()) }}

{{ sum_agreements(group_by=['programme_id', 'period', 'programme_period']) }}
