with

coverage as (
    select * from {{ ref('int_cin_census__coverage_months') }}
),

referrals as (
    select * from {{ ref('int_cin_census__referrals') }}
),

source_groups as (
    select distinct source_group from {{ ref('cin_referral_sources') }}
    union all select 'not_recorded'
    union all select 'invalid_code'
),

overall as (
    select
        coverage.area_code,
        coverage.month,
        'all' as breakdown_dimension,
        'all' as breakdown_value,
        count(referrals.referral_id) as numerator
    from coverage
    left join referrals
        on coverage.area_code = referrals.area_code
        and coverage.month = referrals.referral_month
    group by coverage.area_code, coverage.month
),

by_source_group as (
    select
        coverage.area_code,
        coverage.month,
        'source_group' as breakdown_dimension,
        source_groups.source_group as breakdown_value,
        count(referrals.referral_id) as numerator
    from coverage
    cross join source_groups
    left join referrals
        on coverage.area_code = referrals.area_code
        and coverage.month = referrals.referral_month
        and source_groups.source_group = referrals.source_group
    group by coverage.area_code, coverage.month, source_groups.source_group
)

select 'referrals' as indicator_id, * from overall
union all
select 'referrals' as indicator_id, * from by_source_group
