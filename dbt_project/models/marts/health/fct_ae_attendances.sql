{#- One row per A&E attendance of an under-18 (the extract is of children; an attendance
    with no recorded age is kept, with age band 'not_recorded'), with its age band, chief
    complaint, safeguarding flag and whether the child was known to children's social care
    at the time, through the person linkage:
    known = the child's linked records hold a CIN episode (referral to closure, open while
    not closed) or an SSDA903 episode of care that was open at some time in the 12 months up
    to and including the arrival date. -#}
with

attendances as (
    select * from {{ ref('stg_health__ae_attendances') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

person_records as (
    select * from {{ ref('int_linkage__person_records') }}
),

child_keys as (
    select * from {{ ref('int_linkage__child_keys') }}
),

child_social_care_spells as (
    select * from {{ ref('int_linkage__social_care_spells') }}
),

attendance_children as (
    select
        person_records.area_code,
        person_records.source_record_id as attendance_id,
        child_keys.child_key,
        child_keys.link_method
    from person_records
    inner join child_keys on person_records.person_record_id = child_keys.person_record_id
    where person_records.source = 'ae_attendances'
),

known_at_arrival as (
    select distinct attendances.area_code, attendances.attendance_id
    from attendances
    inner join attendance_children
        on attendances.area_code = attendance_children.area_code
        and attendances.attendance_id = attendance_children.attendance_id
    inner join child_social_care_spells
        on attendance_children.child_key = child_social_care_spells.child_key
    where child_social_care_spells.start_date <= attendances.arrival_date
        and coalesce(child_social_care_spells.end_date, attendances.arrival_date)
            >= {{ dbt.dateadd('year', -1, 'attendances.arrival_date') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat(["attendances.area_code", "'|'", "attendances.attendance_id"])) }}
            as ae_attendance_id,
        attendances.area_code,
        attendances.attendance_id,
        attendances.site_code,
        attendances.arrival_date,
        cast({{ dbt.date_trunc('month', 'attendances.arrival_date') }} as date) as arrival_month,
        attendances.age_at_arrival,
        coalesce(age_bands.age_band, 'not_recorded') as age_band,
        attendances.sex,
        attendances.attendance_source_code,
        coalesce(attendances.chief_complaint_code, 'not_recorded') as chief_complaint_code,
        attendances.chief_complaint,
        coalesce(attendances.has_safeguarding_concern, false) as has_safeguarding_concern,
        attendance_children.child_key,
        coalesce(attendance_children.link_method, 'unlinked') as link_method,
        known_at_arrival.attendance_id is not null as is_known_to_social_care,
        attendances.copies_delivered,
        attendances.source_file,
        attendances.source_line
    from attendances
    left join age_bands
        on attendances.age_at_arrival between age_bands.min_age and age_bands.max_age
    left join attendance_children
        on attendances.area_code = attendance_children.area_code
        and attendances.attendance_id = attendance_children.attendance_id
    left join known_at_arrival
        on attendances.area_code = known_at_arrival.area_code
        and attendances.attendance_id = known_at_arrival.attendance_id
    where attendances.age_at_arrival is null or attendances.age_at_arrival between 0 and 17
)

select * from final
