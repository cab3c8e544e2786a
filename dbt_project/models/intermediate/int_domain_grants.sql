-- The domain rows of the reports' tables, each printed label mapped to its programme's domain code.
-- A label that is not in domain_labels stops the build and names the label and its table row.
-- A view, as the staging model it resolves: read where it is used, never stale.
{{ config(materialized='view') }}

with printed as (
    select * from {{ ref('stg_report__domain_grants') }}
),

labels as (
    select * from {{ ref('stg_report__domain_labels') }}
),

final as (
    select
        printed.programme_id,
        printed.period,
        coalesce(
            labels.domain_code,
            {{ raise_error(
                "'unknown domain label \"' || printed.domain_label_as_printed || '\" in '"
                ~ " || printed.source_table || ' row ' || cast(printed.source_row as "
                ~ dbt.type_string() ~ ")"
            ) }}
        ) as domain_code,
        printed.domain_label_as_printed,
        printed.projects,
        printed.amount_mad,
        printed.source_document,
        printed.source_table,
        printed.source_row
    from printed
    left join labels
        on
        printed.programme_id = labels.programme_id
        and printed.domain_label_as_printed = labels.label_ar
)

select * from final
