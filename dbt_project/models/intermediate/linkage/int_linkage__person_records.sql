{{ config(materialized='table') }}

{#- One row per person-record across all sources: a record of a child as one source holds
    it, with every pseudonymised key the source carries. Names are pseudonymised per column
    (normalised before hashing), so the composite key is a hash of pseudonyms:
    forename + surname + date of birth (+ postcode district where present). -#}

with

cin_children as (
    select * from {{ ref('stg_cin_census__children') }}
),

cin_details as (
    select * from {{ ref('stg_cin_census__cin_details') }}
),

cin_first_referral as (
    select child_record_key, min(referral_date) as first_referral_date
    from cin_details
    group by child_record_key
),

ssda903_header as (
    select * from {{ ref('stg_ssda903__header') }}
),

ssda903_episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

ssda903_episode_ranked as (
    select
        area_code,
        la_child_id_pseudonym,
        home_postcode_district,
        min(episode_start_date) over (partition by area_code, la_child_id_pseudonym) as first_episode_start_date,
        row_number() over (
            partition by area_code, la_child_id_pseudonym order by episode_start_date desc
        ) as recency_rank
    from ssda903_episodes
),

ssda903_child_episode as (
    select * from ssda903_episode_ranked where recency_rank = 1
),

ae_attendances as (
    select * from {{ ref('stg_health__ae_attendances') }}
),

hospital_admissions as (
    select * from {{ ref('stg_health__hospital_admissions') }}
),

camhs_referrals as (
    select * from {{ ref('stg_health__camhs_referrals') }}
),

police_incidents as (
    select * from {{ ref('stg_police__incidents') }}
),

school_census as (
    select * from {{ ref('stg_education__school_census') }}
),

unioned as (
    select
        'cin_census' as source,
        cin_children.child_record_key as source_record_id,
        cin_children.area_code,
        cin_first_referral.first_referral_date as event_date,
        cin_children.upn_pseudonym,
        cast(null as varchar) as nhs_number_pseudonym,
        cin_children.la_child_id_pseudonym,
        cin_children.birth_date_pseudonym,
        cast(null as varchar) as postcode_district,
        cast(null as varchar) as forename_pseudonym,
        cast(null as varchar) as surname_pseudonym
    from cin_children
    left join cin_first_referral on cin_children.child_record_key = cin_first_referral.child_record_key

    union all

    select
        'ssda903',
        ssda903_header.la_child_id_pseudonym,
        ssda903_header.area_code,
        ssda903_child_episode.first_episode_start_date,
        ssda903_header.upn_pseudonym,
        null,
        ssda903_header.la_child_id_pseudonym,
        ssda903_header.birth_date_pseudonym,
        ssda903_child_episode.home_postcode_district,
        null,
        null
    from ssda903_header
    left join ssda903_child_episode
        on ssda903_header.area_code = ssda903_child_episode.area_code
        and ssda903_header.la_child_id_pseudonym = ssda903_child_episode.la_child_id_pseudonym

    union all

    select
        'ae_attendances', attendance_id, area_code, arrival_date, null, nhs_number_pseudonym,
        null, birth_date_pseudonym, postcode_district, null, null
    from ae_attendances

    union all

    select
        'hospital_admissions', spell_id, area_code, admission_date, null, nhs_number_pseudonym,
        null, birth_date_pseudonym, postcode_district, null, null
    from hospital_admissions

    union all

    select
        'camhs_referrals', referral_id, area_code, referral_date, null, nhs_number_pseudonym,
        null, birth_date_pseudonym, postcode_district, null, null
    from camhs_referrals

    union all

    select
        'police_incidents', incident_child_id, area_code, incident_date, null, null,
        null, birth_date_pseudonym, postcode_district, forename_pseudonym, surname_pseudonym
    from police_incidents

    union all

    select
        'school_census', pupil_term_id, area_code, term_start_date, upn_pseudonym, null,
        null, birth_date_pseudonym, postcode_district, null, null
    from school_census
),

keyed as (
    select
        {{ dbt.concat(["source", "':'", "area_code", "':'", "source_record_id"]) }} as person_record_id,
        source,
        source_record_id,
        area_code,
        event_date,
        upn_pseudonym,
        nhs_number_pseudonym,
        case
            when la_child_id_pseudonym is not null
                then {{ dbt.concat(["area_code", "':'", "la_child_id_pseudonym"]) }}
        end as la_child_key,
        birth_date_pseudonym,
        postcode_district,
        forename_pseudonym,
        surname_pseudonym,
        case
            when forename_pseudonym is not null
                and surname_pseudonym is not null
                and birth_date_pseudonym is not null
                then {{ dbt.hash(dbt.concat([
                    "forename_pseudonym", "'|'", "surname_pseudonym", "'|'",
                    "birth_date_pseudonym", "'|'", "coalesce(upper(postcode_district), '')"])) }}
        end as composite_key,
        case
            when birth_date_pseudonym is not null and postcode_district is not null
                then {{ dbt.hash(dbt.concat(["birth_date_pseudonym", "'|'", "upper(postcode_district)"])) }}
        end as birth_date_district_key
    from unioned
)

select * from keyed
