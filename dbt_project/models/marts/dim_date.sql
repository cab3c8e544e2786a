-- One row per day of the calendar years the programmes' periods cover (2014-01-01 to
-- 2018-12-31 for the shipped seeds): the time spine dbt's semantic layer requires
-- (dim_date.yml). Its bounds follow dim_period, so a new programme's years need no code; the
-- days come from dbt's cross-database generate_series, so that it runs on Spark too, and
-- without a query at compile time (a lint or a fresh build has no dim_period to ask).
with periods as (
    select * from {{ ref('dim_period') }}
),

bounds as (
    select
        cast(
            {{ dbt.concat(["cast(min(start_year) as " ~ dbt.type_string() ~ ")", "'-01-01'"]) }}
            as date
        ) as first_day,
        cast(
            {{ dbt.concat(["cast(max(end_year) as " ~ dbt.type_string() ~ ")", "'-12-31'"]) }}
            as date
        ) as last_day
    from periods
),

-- 2^16 consecutive numbers from 1: days for a span of up to 179 years.
numbers as (
    {{ dbt.generate_series(65536) }}
),

days as (
    select
        bounds.last_day,
        {{ dbt.dateadd('day', 'numbers.generated_number - 1', 'bounds.first_day') }} as date_day
    from numbers
    cross join bounds
),

final as (
    select cast(date_day as date) as date_day
    from days
    where date_day <= last_day
)

select * from final
