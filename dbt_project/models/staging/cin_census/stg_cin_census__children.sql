with

{{ import_ctes({
    'children': source('cin_census', 'cin_child'),
    'characteristics': source('cin_census', 'cin_child_characteristics'),
    'ethnicities': 'ethnicities',
}) }},

renamed as (
    select
        children.child_key as child_record_key,
        children._area as area_code,
        cast(children._collection_period as integer) as collection_year,
        children.la_child_id as la_child_id_pseudonym,
        children.upn as upn_pseudonym,
        children.former_upn as former_upn_pseudonym,
        children.upn_unknown as upn_unknown_reason,
        children.person_birth_date as birth_date_pseudonym,
        {{ parse_month('children.person_birth_date_month') }} as birth_month,
        {{ parse_month('children.expected_person_birth_date_month') }}
            as expected_birth_month,
        {{ decode_sex('children.gender_current', 'children.sex') }} as sex,
        nullif(trim(characteristics.ethnicity), '') as ethnicity_code,
        ethnicities.label as ethnicity,
        ethnicities.major_group as ethnicity_major_group,
        {{ parse_date('children.person_death_date') }} as death_date,
        {{ lineage_columns('children') }}
    from children
    left join characteristics
        on children.child_key = characteristics.child_key
    left join ethnicities
        on trim(characteristics.ethnicity) = ethnicities.code
)

select * from renamed
