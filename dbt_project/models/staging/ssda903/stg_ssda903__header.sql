{#- One row per child (area, CHILD): the child's record in the latest return that holds it. -#}
with

latest as (
    {{ one_row_per(
        source('ssda903', 'ssda903_header'), '_area, child', latest_return_first(),
        count_as='returns_count',
        also=['min(' ~ integer_or_null('_collection_period') ~ ') over (partition by _area, child)'
            ~ ' as first_collection_year']) }}
),

ethnicities as (
    select * from {{ ref('ethnicities') }}
),

renamed as (
    select
        latest._area as area_code,
        latest.child as la_child_id_pseudonym,
        {{ integer_or_null('latest._collection_period') }} as collection_year,
        latest.first_collection_year,
        latest.returns_count,
        latest.upn as upn_pseudonym,
        latest.dob as birth_date_pseudonym,
        {{ parse_month('latest.dob_month') }} as birth_month,
        {{ decode_sex('latest.sex', 'latest.sex') }} as sex,
        {{ decoded_code_columns('latest.ethnic', 'ethnicities', 'ethnicity',
            also=['ethnicities.major_group as ethnicity_major_group']) }},
        {{ parse_yes_no('latest.mother') }} as is_mother,
        latest.mc_dob as mothers_child_birth_date_pseudonym,
        {{ parse_month('latest.mc_dob_month') }} as mothers_child_birth_month,
        {{ lineage_columns('latest') }}
    from latest
    left join ethnicities on trim(latest.ethnic) = ethnicities.code
)

select * from renamed
