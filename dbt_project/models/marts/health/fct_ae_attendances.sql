{#- One row per A&E attendance of an under-18 (the extract is of children; an attendance
    with no recorded age is kept, with age band 'not_recorded'), with its age band, chief
    complaint, safeguarding flag and whether the child was known to children's social care
    at the time, through the person linkage:
    known = the child's linked records hold a CIN episode (referral to closure, open while
    not closed) or an SSDA903 episode of care that was open at some time in the 12 months up
    to and including the arrival date. -#}
with

{{ import_ctes({
    'attendances': 'stg_health__ae_attendances',
    'age_bands': 'age_bands',
    'person_records': 'int_linkage__person_records',
    'child_keys': 'int_linkage__child_keys',
    'child_social_care_spells': 'int_linkage__social_care_spells',
}) }},

attendance_children as (
    {{ linked_children('ae_attendances', 'attendance_id', with_area=true) }}
),

known_at_arrival as (
    {{ known_to_social_care_at(
        'attendances', 'attendance_children', ['area_code', 'attendance_id'], 'arrival_date') }}
),

final as (
    select
        {{ health_event_columns(
            'attendances', 'ae_attendance_id', 'attendance_id', 'site_code', 'arrival_date') }},
        {{ health_age_columns('attendances', 'age_at_arrival') }},
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
    {{ health_age_band_join('attendances', 'age_at_arrival') }}
    left join attendance_children
        on {{ columns_match('attendances', 'attendance_children', ['area_code', 'attendance_id']) }}
    left join known_at_arrival
        on {{ columns_match('attendances', 'known_at_arrival', ['area_code', 'attendance_id']) }}
    where attendances.age_at_arrival is null or attendances.age_at_arrival between 0 and 17
)

select * from final
