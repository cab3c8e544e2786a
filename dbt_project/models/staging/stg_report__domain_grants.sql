-- The domain rows of the report's tables, with each printed label mapped to its domain code.
-- A label that is not in domain_labels stops the build and names the label and its table row.
with source as (
    select * from {{ source('report', 'domain_grants') }}
),

labels as (
    select * from {{ ref('stg_report__domain_labels') }}
),

final as (
    select
        source.period,
        case
            when labels.domain_code is not null then labels.domain_code
            else {{ raise_error(
                "'unknown domain label \"' || source.domain_label_ar || '\" in '"
                ~ " || source.source_table || ' row ' || cast(source.source_row as "
                ~ dbt.type_string() ~ ")"
            ) }}
        end as domain_code,
        source.domain_label_ar as domain_label_as_printed,
        source.projects,
        source.amount_mad,
        source.source_document,
        source.source_table,
        source.source_row
    from source
    left join labels
        on source.domain_label_ar = labels.label_ar
)

select * from final
