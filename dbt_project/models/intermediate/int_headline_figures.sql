-- The figures the documents state, each with the bounds of its true value: what its qualifier
-- (figure_qualifiers) implies from its value and precision, to the half unit (half a precision
-- of 1 is 0.5). A view: read where it is used.
{{ config(materialized='view') }}

with figures as (
    select * from {{ ref('stg_report__headline_figures') }}
),

qualifiers as (
    select * from {{ ref('stg_report__figure_qualifiers') }}
),

final as (
    select
        figures.programme_id,
        figures.period,
        figures.measure,
        figures.value,
        figures.qualifier,
        figures.stated_precision,
        cast(
            figures.value
            + qualifiers.lower_half_precisions * figures.stated_precision * 0.5
            + qualifiers.lower_units
            as decimal(18, 1)
        ) as lower_bound,
        cast(
            figures.value
            + qualifiers.upper_half_precisions * figures.stated_precision * 0.5
            + qualifiers.upper_units
            as decimal(18, 1)
        ) as upper_bound,
        figures.value_as_printed,
        figures.source_document,
        figures.source_location,
        figures.printed_text
    from figures
    inner join qualifiers
        on figures.qualifier = qualifiers.qualifier
)

select * from final
