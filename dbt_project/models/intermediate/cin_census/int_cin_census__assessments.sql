{#- One row per assessment: the same assessment in several returns is one (latest return). -#}
with

assessments as (
    select * from {{ ref('stg_cin_census__assessments') }}
),

details as (
    select * from {{ ref('int_cin_census__details') }}
),

calendar as (
    select * from {{ ref('int_calendar__days') }}
),

copies as (
    select
        md5(
            details.area_code || '|' || details.la_child_id_pseudonym || '|'
            || cast(assessments.started_on as varchar)
        ) as assessment_id,
        assessments.assessment_key,
        details.referral_id,
        details.area_code,
        details.la_child_id_pseudonym,
        assessments.started_on,
        assessments.authorised_on,
        details.collection_year,
        row_number() over (
            partition by details.area_code, details.la_child_id_pseudonym, assessments.started_on
            order by details.collection_year desc, assessments.source_line
        ) as copy_rank
    from assessments
    inner join details
        on assessments.cin_details_key = details.cin_details_key
    where assessments.started_on is not null
),

deduplicated as (
    select
        assessment_id,
        assessment_key,
        referral_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        authorised_on,
        collection_year
    from copies
    where copy_rank = 1
),

final as (
    select
        deduplicated.*,
        cast({{ dbt.date_trunc('month', 'deduplicated.started_on') }} as date) as started_month,
        cast({{ dbt.date_trunc('month', 'deduplicated.authorised_on') }} as date)
            as authorised_month,
        {{ working_days_between('started', 'authorised') }} as working_days_to_authorisation
    from deduplicated
    left join calendar as started
        on deduplicated.started_on = started.calendar_date
    left join calendar as authorised
        on deduplicated.authorised_on = authorised.calendar_date
)

select * from final
