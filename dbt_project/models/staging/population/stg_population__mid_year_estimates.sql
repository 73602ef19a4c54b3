{#- One row per area, mid-year, sex and single year of age, the latest loaded copy. -#}
with

source as (
    select * from {{ source('population', 'population') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, mid_year_date, sex, age
            order by {{ latest_delivery_first() }}
        ) as delivery_rank
    from source
),

renamed as (
    select
        _area as area_code,
        nullif(trim(ons_code), '') as ons_area_code,
        nullif(trim(area_name), '') as area_name,
        {{ parse_date('mid_year_date') }} as mid_year_date,
        cast(extract(year from {{ parse_date('mid_year_date') }}) as integer) as mid_year,
        nullif(trim(sex), '') as sex,
        {{ integer_or_null('age') }} as age,
        {{ integer_or_null('population') }} as population,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where delivery_rank = 1
)

select * from renamed
