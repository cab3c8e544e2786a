with labels as (
    select * from {{ ref('stg_report__domain_labels') }}
),

final as (
    select
        cast(programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(label_ar as {{ dbt.type_string() }}) as label_ar,
        cast(domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(label_kind as {{ dbt.type_string() }}) as label_kind,
        cast(printed_in as {{ dbt.type_string() }}) as printed_in
    from labels
)

select * from final
