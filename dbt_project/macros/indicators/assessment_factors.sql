{#- The assessment_factors indicator (registry entry compute: {macro: assessment_factor_shares}):
    of the assessments completed (authorised) in the month, the share that identified each
    factor group of the DfE list (breakdown factor_group: domestic_abuse, mental_health,
    substance_misuse, ...) and, for 'all', the share that identified at least one factor
    (code 21, no factors identified, does not count). Two monthly_indicator calls: the 'all'
    share is not the sum of the groups'. Only the returns record the factors (the SSD's
    ssd_assessment_factors is not loaded), so the months and assessments are the returns'. -#}
{% macro assessment_factor_shares(indicator) %}
with

completed as (
    select * from {{ ref('fct_assessments') }}
    where authorised_month is not null and record_source = '{{ indicator['source'] }}'
),

factor_groups as (
    select distinct factor_group from {{ ref('cin_assessment_factors') }}
    where factor_group != 'no_factors'
),

identified as (
    select distinct assessment_id, factor_group from {{ ref('fct_assessment_factors') }}
),

assessment_factor_groups as (
    select
        completed.area_code,
        completed.authorised_month,
        factor_groups.factor_group,
        case when identified.assessment_id is not null then 1 else 0 end as has_factor
    from completed
    cross join factor_groups
    left join identified
        on completed.assessment_id = identified.assessment_id
        and factor_groups.factor_group = identified.factor_group
),

per_factor_group as (
    {{ monthly_indicator('assessment_factor_groups', 'authorised_month', indicator['indicator_id'],
        breakdowns=['factor_group'], numerator='has_factor', denominator='1', scale=100,
        coverage=coverage_of(indicator['source'], fed=false)) }}
),

any_factor as (
    {{ monthly_indicator('completed', 'authorised_month', indicator['indicator_id'],
        numerator='case when has_factors_identified then 1 else 0 end', denominator='1',
        scale=100, coverage=coverage_of(indicator['source'], fed=false)) }}
)

select * from per_factor_group where breakdown_dimension = 'factor_group'
union all
select * from any_factor
{% endmacro %}
