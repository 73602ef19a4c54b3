{#- A check on the mart it guards (Dagster attaches a test reading several models to the one
    named here; without it the result is only an observation, with a warning each run). -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_monthly'}}}) }}
{#- The catalogue's breakdowns column and the breakdowns the models build agree: every
    indicator with events has exactly the breakdown dimensions its catalogue row lists. -#}
with

catalogue as (
    select indicator_id, breakdowns from {{ ref('indicators') }}
),

built as (
    select indicator_id, breakdown_dimension
    from {{ ref('fct_indicator_monthly') }}
    group by indicator_id, breakdown_dimension
),

indicators_with_events as (
    select indicator_id
    from {{ ref('fct_indicator_monthly') }}
    where breakdown_dimension = 'all'
    group by indicator_id
    having sum(numerator) > 0
),

listed as (
    select catalogue.indicator_id, built.breakdown_dimension
    from catalogue
    inner join built
        on catalogue.indicator_id = built.indicator_id
    where {{ dbt.position("'|' || built.breakdown_dimension || '|'", "'|' || catalogue.breakdowns || '|'") }} > 0
),

built_not_listed as (
    select built.indicator_id, built.breakdown_dimension, 'built but not in the catalogue' as problem
    from built
    left join listed
        on built.indicator_id = listed.indicator_id
        and built.breakdown_dimension = listed.breakdown_dimension
    where listed.indicator_id is null
),

listed_not_built as (
    select catalogue.indicator_id, catalogue.breakdowns as breakdown_dimension,
        'catalogue lists ' || cast(count(*) as varchar) || ' of these, fewer were built' as problem
    from catalogue
    inner join indicators_with_events
        on catalogue.indicator_id = indicators_with_events.indicator_id
    left join listed
        on catalogue.indicator_id = listed.indicator_id
    group by catalogue.indicator_id, catalogue.breakdowns
    having count(distinct listed.breakdown_dimension)
        <> {{ dbt.length('catalogue.breakdowns') }}
        - {{ dbt.length(dbt.replace('catalogue.breakdowns', "'|'", "''")) }} + 1
)

select * from built_not_listed
union all
select * from listed_not_built
