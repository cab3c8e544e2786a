-- Where two documents state a figure for the same programme, period and measure: each other
-- document's figure against the one the period's own document states (dim_period's
-- source_document), with the register's entry (level document_vs_document, keyed by the other
-- document) and the statuses of reconciliation_status(). Two figures agree when the ranges
-- their qualifiers allow overlap: the reference's bounds are widened by the other figure's
-- own uncertainty, so that "about 7 million" agrees with 6 991 500, and two exact figures
-- agree only when equal.
with figures as (
    select * from {{ ref('fct_published_totals') }}
    where stated_in = 'text'
),

reference as (
    select * from figures
    where is_period_document
),

other_documents as (
    select * from figures
    where not is_period_document
),

register as (
    select * from {{ ref('fct_known_discrepancies') }}
    where level = 'document_vs_document'
),

observed as (
    select
        other_documents.programme_id,
        other_documents.period,
        'document_vs_document' as level,
        other_documents.measure,
        other_documents.source_document,
        reference.source_document as reference_document,
        reference.published_value,
        other_documents.published_value as summed_value,
        reference.lower_bound - (other_documents.upper_bound - other_documents.published_value)
            as lower_bound,
        reference.upper_bound + (other_documents.published_value - other_documents.lower_bound)
            as upper_bound,
        other_documents.published_value - reference.published_value as difference
    from other_documents
    inner join reference
        on
        other_documents.programme_id = reference.programme_id
        and other_documents.period = reference.period
        and other_documents.measure = reference.measure
),

compared as (
    {{ compare_with_register(
        keys=['programme_id', 'period', 'level', 'measure', 'source_document']
    ) }}
),

reconciled as (
    {{ reconciliation_columns(
        keys=['programme_id', 'period', 'level', 'measure', 'source_document']
    ) }}
),

references_by_comparison as (
    select
        programme_id,
        period,
        measure,
        source_document,
        reference_document
    from observed
),

final as (
    select
        reconciled.programme_id,
        reconciled.period,
        reconciled.level,
        reconciled.measure,
        reconciled.source_document,
        cast(references_by_comparison.reference_document as {{ dbt.type_string() }})
            as reference_document,
        reconciled.published_value as reference_value,
        reconciled.lower_bound,
        reconciled.upper_bound,
        reconciled.summed_value as stated_value,
        reconciled.difference,
        reconciled.registered_published_value as registered_reference_value,
        reconciled.registered_summed_value as registered_stated_value,
        reconciled.registered_difference,
        reconciled.status,
        reconciled.explanation
    from reconciled
    left join references_by_comparison
        on
        reconciled.programme_id = references_by_comparison.programme_id
        and reconciled.period = references_by_comparison.period
        and reconciled.measure = references_by_comparison.measure
        and reconciled.source_document = references_by_comparison.source_document
)

select * from final
