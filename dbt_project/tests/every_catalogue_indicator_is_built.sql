{#- A check on the mart it guards (Dagster attaches a test reading several models to the one
    named here; without it the result is only an observation, with a warning each run). -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_monthly'}}}) }}
{#- Adding a row to the catalogue without its model (or the model to the union) fails here,
    for every source the warehouse holds deliveries of (rates also need the population). -#}
with

delivered as (
    select distinct source from {{ ref('int_coverage__months') }}
),

expected as (
    select catalogue.indicator_id
    from {{ ref('indicators') }} as catalogue
    inner join delivered
        on catalogue.source = delivered.source
    where catalogue.unit <> 'per_10000'
        or exists (select 1 from delivered where delivered.source = 'population')
)

select expected.indicator_id
from expected
left join (select distinct indicator_id from {{ ref('fct_indicator_monthly') }}) as built
    on expected.indicator_id = built.indicator_id
where built.indicator_id is null
