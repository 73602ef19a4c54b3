{#- One row per pupil, school and term (area, academic year, term, URN, UPN). Rows without a
    UPN cannot be matched to one another and are each kept. -#}
with

source as (
    select * from {{ source('education', 'school_census') }}
),

keyed as (
    select
        source.*,
        coalesce(upn, _source_file || ':' || cast(_record_line as varchar)) as pupil_key
    from source
),

ranked as (
    select
        keyed.*,
        row_number() over (
            partition by _area, academic_year, term, urn, pupil_key
            order by {{ latest_delivery_first() }}
        ) as delivery_rank
    from keyed
),

renamed as (
    select
        {{ dbt.hash(dbt.concat(["_area", "'|'", "academic_year", "'|'", "term", "'|'", "urn", "'|'", "pupil_key"])) }}
            as pupil_term_id,
        _area as area_code,
        academic_year,
        nullif(trim(term), '') as term,
        {{ parse_date('term_start_date') }} as term_start_date,
        urn as school_urn,
        upn as upn_pseudonym,
        person_birth_date as birth_date_pseudonym,
        {{ parse_date("person_birth_date_month || '-01'") }} as birth_month,
        case when trim(sex) in ('M', 'F') then trim(sex) end as sex,
        nullif(trim(ncyear_actual), '') as year_group,
        try_cast(sessions_possible as integer) as sessions_possible,
        try_cast(sessions_attended as integer) as sessions_attended,
        try_cast(sessions_authorised_absence as integer) as sessions_authorised_absence,
        try_cast(sessions_unauthorised_absence as integer) as sessions_unauthorised_absence,
        try_cast(suspensions as integer) as suspensions,
        {{ parse_yes_no('permanent_exclusion') }} as is_permanently_excluded,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where delivery_rank = 1
)

select * from renamed
