with source as (
    select * from {{ source('report', 'domain_labels') }}
),

final as (
    select
        programme_id,
        label_ar,
        domain_code,
        label_kind,
        printed_in
    from source
)

select * from final
