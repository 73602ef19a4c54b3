{#- Children aged 0 to 17 per area and month, overall and by age band and sex, in the long
    breakdown shape of the indicators: the denominators of rates per 10,000. A month of the
    year ending 31 March uses the mid-year estimate of the June inside that year (as DfE
    does), or the nearest year estimated. -#}
with

estimates as (
    select * from {{ ref('stg_population__mid_year_estimates') }}
    where age between 0 and 17
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

months as (
    select distinct area_code, month from {{ ref('int_coverage__months') }}
),

by_year as (
    select
        estimates.area_code,
        estimates.mid_year,
        'all' as breakdown_dimension,
        'all' as breakdown_value,
        sum(estimates.population) as children
    from estimates
    group by estimates.area_code, estimates.mid_year
    union all
    select
        estimates.area_code,
        estimates.mid_year,
        'age_band',
        age_bands.age_band,
        sum(estimates.population)
    from estimates
    inner join age_bands
        on estimates.age between age_bands.min_age and age_bands.max_age
    group by estimates.area_code, estimates.mid_year, age_bands.age_band
    union all
    select
        estimates.area_code,
        estimates.mid_year,
        'sex',
        estimates.sex,
        sum(estimates.population)
    from estimates
    group by estimates.area_code, estimates.mid_year, estimates.sex
),

matched as (
    select
        months.area_code,
        months.month,
        by_year.breakdown_dimension,
        by_year.breakdown_value,
        by_year.children,
        row_number() over (
            partition by
                months.area_code, months.month, by_year.breakdown_dimension,
                by_year.breakdown_value
            order by abs(
                by_year.mid_year
                - (extract(year from months.month)
                    - case when extract(month from months.month) < 4 then 1 else 0 end)
            ), by_year.mid_year
        ) as nearest
    from months
    inner join by_year
        on months.area_code = by_year.area_code
)

select area_code, month, breakdown_dimension, breakdown_value, children
from matched
where nearest = 1
