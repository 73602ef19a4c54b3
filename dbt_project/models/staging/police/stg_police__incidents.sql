{#- One row per incident and involved child (area, INCIDENT_REF, child name and date of
    birth pseudonyms); a re-delivered month repeats rows, the latest loaded copy wins. -#}
with

latest as (
    {{ latest_delivered(
        'police', 'police_incidents', 'incident_ref, child_forename, child_surname, child_dob',
        count_copies=true) }}
),

incident_types as (
    select * from {{ ref('police_incident_types') }}
),

renamed as (
    select
        {{ dbt.hash(dbt.concat([
            "latest._area", "'|'", "latest.incident_ref", "'|'",
            "coalesce(latest.child_forename, '')", "'|'",
            "coalesce(latest.child_surname, '')", "'|'",
            "coalesce(latest.child_dob, '')"])) }} as incident_child_id,
        latest._area as area_code,
        latest.force_code,
        latest.incident_ref,
        latest.copies_delivered,
        {{ parse_date('latest.incident_date') }} as incident_date,
        {{ decoded_code_columns('latest.incident_type', 'incident_types', 'incident_type') }},
        {{ integer_or_null('latest.children_present') }} as children_present,
        {{ parse_yes_no('latest.notified_to_csc') }} as is_notified_to_csc,
        latest.child_forename as forename_pseudonym,
        latest.child_surname as surname_pseudonym,
        latest.child_dob as birth_date_pseudonym,
        {{ parse_month('latest.child_dob_month') }} as birth_month,
        latest.child_postcode as postcode_district_pseudonym,
        {{ postcode_district_or_null('latest.child_postcode_district') }} as postcode_district,
        (latest.child_forename is not null or latest.child_surname is not null or latest.child_dob is not null)
            as is_child_identified,
        {{ timestamp_or_null('latest.recorded_at') }} as recorded_at,
        {{ lineage_columns('latest') }}
    from latest
    left join incident_types on trim(latest.incident_type) = incident_types.code
)

select * from renamed
