{#- One row per pupil, school and term (area, academic year, term, URN, UPN), from the
    contract file and from the census as schools' systems export it (reshaped to the
    contract's rows: macros/school_census_export.sql), so the indicators come out the same
    whichever layout arrives. Rows without a UPN cannot be matched to one another and are
    each kept. -#}
with

exported as (
    {{ school_census_export_as_contract() }}
),

delivered as (
    {%- set contract_columns = [
        'academic_year', 'term', 'term_start_date', 'urn', 'upn', 'person_birth_date',
        'person_birth_date_month', 'sex', 'postcode_district_district', 'ncyear_actual',
        'sessions_possible', 'sessions_attended', 'sessions_authorised_absence',
        'sessions_unauthorised_absence', 'suspensions', 'permanent_exclusion',
        '_source_file', '_file_sha256', '_record_line', '_area', '_collection_period',
        '_loaded_at',
    ] %}
    select {{ contract_columns | join(', ') }}
    from {{ source('education', 'school_census') }}
    union all
    select {{ contract_columns | join(', ') }}
    from exported
),

keyed as (
    select
        delivered.*,
        coalesce(upn, _source_file || ':' || cast(_record_line as varchar)) as pupil_key
    from delivered
),

latest as (
    {{ one_row_per('keyed', '_area, academic_year, term, urn, pupil_key', latest_delivery_first()) }}
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
        {{ parse_month('person_birth_date_month') }} as birth_month,
        case when trim(sex) in ('M', 'F') then trim(sex) end as sex,
        {{ postcode_district_or_null('postcode_district_district') }} as postcode_district,
        nullif(trim(ncyear_actual), '') as year_group,
        {{ integer_or_null('sessions_possible') }} as sessions_possible,
        {{ integer_or_null('sessions_attended') }} as sessions_attended,
        {{ integer_or_null('sessions_authorised_absence') }} as sessions_authorised_absence,
        {{ integer_or_null('sessions_unauthorised_absence') }} as sessions_unauthorised_absence,
        {{ integer_or_null('suspensions') }} as suspensions,
        {{ parse_yes_no('permanent_exclusion') }} as is_permanently_excluded,
        {{ lineage_columns() }}
    from latest
)

select * from renamed
