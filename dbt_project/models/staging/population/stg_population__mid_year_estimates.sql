{#- One row per area, mid-year, sex and single year of age, the latest loaded copy. -#}
select
    _area as area_code,
    nullif(trim(ons_code), '') as ons_area_code,
    nullif(trim(area_name), '') as area_name,
    {{ parse_date('mid_year_date') }} as mid_year_date,
    cast(extract(year from {{ parse_date('mid_year_date') }}) as integer) as mid_year,
    nullif(trim(sex), '') as sex,
    {{ integer_or_null('age') }} as age,
    {{ integer_or_null('population') }} as population,
    {{ lineage_columns() }}
from ({{ latest_delivered('population', 'population', 'mid_year_date, sex, age') }}) as latest
