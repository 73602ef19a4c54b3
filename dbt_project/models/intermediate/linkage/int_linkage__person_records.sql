{#- One row per person-record across all sources: a record of a child as one source holds
    it, with every pseudonymised key the source carries. Names are pseudonymised per column
    (normalised before hashing), so the composite key is a hash of pseudonyms:
    forename + surname + date of birth (+ postcode district where present). -#}

{#- The partners' records, one staging model each: (source, model, record id, event date,
    UPN, NHS number, forename, surname), null where the source does not carry the key. -#}
{%- set partner_records = [
    ('ae_attendances', 'stg_health__ae_attendances', 'attendance_id', 'arrival_date',
        'null', 'nhs_number_pseudonym', 'null', 'null'),
    ('hospital_admissions', 'stg_health__hospital_admissions', 'spell_id', 'admission_date',
        'null', 'nhs_number_pseudonym', 'null', 'null'),
    ('camhs_referrals', 'stg_health__camhs_referrals', 'referral_id', 'referral_date',
        'null', 'nhs_number_pseudonym', 'null', 'null'),
    ('police_incidents', 'stg_police__incidents', 'incident_child_id', 'incident_date',
        'null', 'null', 'forename_pseudonym', 'surname_pseudonym'),
    ('school_census', 'stg_education__school_census', 'pupil_term_id', 'term_start_date',
        'upn_pseudonym', 'null', 'null', 'null'),
] %}

with

{{ import_ctes({
    'cin_children': 'stg_cin_census__children',
    'cin_details': 'stg_cin_census__cin_details',
}) }},

cin_first_referral as (
    select child_record_key, min(referral_date) as first_referral_date
    from cin_details
    group by child_record_key
),

{{ import_ctes({
    'ssda903_header': 'stg_ssda903__header',
    'ssda903_episodes': 'stg_ssda903__episodes',
}) }},

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

{{ import_ctes({'ssd_referrals': 'int_ssd__referrals', 'ssd_people': 'stg_ssd__person'}) }},

-- The SSD's children in need (a child with an episode, as the census's children are), with
-- the UPN of its linked identifiers and the NHS number and birth date of its person record.
ssd_children as (
    select
        ssd_referrals.area_code,
        ssd_referrals.la_child_id_pseudonym,
        min(ssd_referrals.referral_date) as first_referral_date,
        max(ssd_referrals.upn_pseudonym) as upn_pseudonym,
        max(ssd_people.nhs_number_pseudonym) as nhs_number_pseudonym,
        max(ssd_people.birth_date_pseudonym) as birth_date_pseudonym
    from ssd_referrals
    left join ssd_people
        on {{ columns_match('ssd_referrals', 'ssd_people', [
            'area_code', 'la_child_id_pseudonym']) }}
    where ssd_referrals.la_child_id_pseudonym is not null
    group by ssd_referrals.area_code, ssd_referrals.la_child_id_pseudonym
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
        on {{ columns_match('ssda903_header', 'ssda903_child_episode', [
            'area_code', 'la_child_id_pseudonym']) }}

    union all

    select
        'ssd',
        la_child_id_pseudonym,
        area_code,
        first_referral_date,
        upn_pseudonym,
        nhs_number_pseudonym,
        la_child_id_pseudonym,
        birth_date_pseudonym,
        null,
        null,
        null
    from ssd_children

{%- for source_name, model, record_id, event_date, upn, nhs_number, forename, surname in partner_records %}

    union all

    select
        '{{ source_name }}', {{ record_id }}, area_code, {{ event_date }}, {{ upn }}, {{ nhs_number }},
        null, birth_date_pseudonym, postcode_district, {{ forename }}, {{ surname }}
    from {{ ref(model) }}
{%- endfor %}
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
