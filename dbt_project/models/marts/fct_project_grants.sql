-- One row per grant agreement (a supported project), for the programme periods that have a
-- register. Field names follow the 360Giving Data Standard where one fits; the currency is
-- always MAD.
--
-- Incremental by programme period (macros/incremental_by_period.sql): a refresh rewrites only the
-- programme periods whose agreements changed (their fingerprint differs from the one stored on
-- their rows) and drops those that left the register. `dbt build --full-refresh` rebuilds it all.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ drop_periods_missing_from(ref('int_grant_agreements')) }}",
    **replace_periods_config()
) }}

-- The intermediate view is referenced twice rather than through one CTE: DuckDB materializes a CTE
-- that is read twice, which at 10^7 agreements doubles the time of this model.
with period_fingerprints as (
    select
        programme_period,
        {{ rows_fingerprint([
            'identifier', 'programme_id', 'period', 'recipient_org_name',
            'recipient_org_identifier', 'title',
            'domain_code', 'domain_as_given', 'beneficiary_location_name', 'amount_awarded',
            'grant_programme_title', 'award_date', 'source_document', 'source_row',
        ]) }} as source_fingerprint
    from {{ ref('int_grant_agreements') }}
    group by programme_period
),

final as (
    select
        cast(agreements.identifier as {{ dbt.type_string() }}) as identifier,
        cast(agreements.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(agreements.period as {{ dbt.type_string() }}) as period,
        cast(agreements.programme_period as {{ dbt.type_string() }}) as programme_period,
        cast(agreements.title as {{ dbt.type_string() }}) as title,
        cast(agreements.recipient_org_name as {{ dbt.type_string() }}) as recipient_org_name,
        cast(agreements.recipient_org_identifier as {{ dbt.type_string() }})
            as recipient_org_identifier,
        cast(agreements.recipient_org_key as {{ dbt.type_string() }}) as recipient_org_key,
        cast(agreements.domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(agreements.domain_as_given as {{ dbt.type_string() }}) as domain_as_given,
        cast(agreements.beneficiary_location_name as {{ dbt.type_string() }})
            as beneficiary_location_name,
        cast(agreements.amount_awarded as bigint) as amount_awarded,
        cast('MAD' as {{ dbt.type_string() }}) as currency,
        cast(agreements.grant_programme_title as {{ dbt.type_string() }}) as grant_programme_title,
        cast(agreements.award_date as date) as award_date,
        cast(agreements.source_document as {{ dbt.type_string() }}) as source_document,
        cast(agreements.source_row as bigint) as source_row,
        cast(period_fingerprints.source_fingerprint as {{ dbt.type_string() }})
            as source_fingerprint
    from {{ ref('int_grant_agreements') }} as agreements
    inner join period_fingerprints
        on agreements.programme_period = period_fingerprints.programme_period
    {% if is_incremental() %}
        where agreements.programme_period in (
            {{ changed_periods('period_fingerprints', this) | indent(12) }}
        )
    {% endif %}
)

select * from final
