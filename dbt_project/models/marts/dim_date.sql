-- One row per day of the calendar years the programmes' periods cover (2014-01-01 to
-- 2018-12-31 for the shipped seeds): MetricFlow's time spine (dim_date.yml), which dbt's
-- semantic layer requires. Built with dbt's cross-database date_spine so that it runs on Spark
-- too; its bounds follow dim_period, so a new programme's years need no code.
{%- set first_day = dbt.concat(["cast(min(start_year) as " ~ dbt.type_string() ~ ")", "'-01-01'"]) %}
{%- set last_day = dbt.concat(["cast(max(end_year) + 1 as " ~ dbt.type_string() ~ ")", "'-01-01'"]) %}

with days as (
    {{ dbt.date_spine(
        'day',
        "cast((select " ~ first_day ~ " from " ~ ref('dim_period') ~ ") as date)",
        "cast((select " ~ last_day ~ " from " ~ ref('dim_period') ~ ") as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
