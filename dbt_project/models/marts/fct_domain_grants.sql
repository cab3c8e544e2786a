-- One row per programme, period and domain: summed from the grant agreements for a programme
-- period that has a register (basis 'agreements'), else the report's domain table exactly as
-- printed (basis 'published_table'). The printed rows stay in mart_reconciliation and
-- mart_ledger_reconciliation either way.
with printed as (
    select * from {{ ref('int_domain_grants') }}
),

agreements_by_domain as (
    select * from {{ ref('int_agreements_by_domain') }}
),

ledger_periods as (
    select distinct
        programme_id,
        period
    from agreements_by_domain
),

from_agreements as (
    select
        programme_id,
        period,
        domain_code,
        projects,
        amount_mad,
        associations,
        'agreements' as basis,
        cast(null as {{ dbt.type_string() }}) as domain_label_as_printed,
        cast(null as {{ dbt.type_string() }}) as source_document,
        'grant_agreements' as source_table,
        cast(null as bigint) as source_row
    from agreements_by_domain
),

from_printed_table as (
    select
        programme_id,
        period,
        domain_code,
        projects,
        amount_mad,
        cast(null as bigint) as associations,
        'published_table' as basis,
        domain_label_as_printed,
        source_document,
        source_table,
        source_row
    from printed
    where not exists (
        select 1 from ledger_periods
        where
            ledger_periods.programme_id = printed.programme_id
            and ledger_periods.period = printed.period
    )
),

unioned as (
    select * from from_agreements
    union all
    select * from from_printed_table
),

final as (
    select
        cast(programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(projects as bigint) as projects,
        cast(amount_mad as bigint) as amount_mad,
        cast(associations as bigint) as associations,
        cast(basis as {{ dbt.type_string() }}) as basis,
        cast(domain_label_as_printed as {{ dbt.type_string() }}) as domain_label_as_printed,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_row as bigint) as source_row
    from unioned
)

select * from final
