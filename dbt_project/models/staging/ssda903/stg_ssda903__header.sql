{#- One row per child (area, CHILD): the child's record in the latest return that holds it. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_header') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child
            order by {{ latest_return_first() }}
        ) as return_rank,
        count(*) over (partition by _area, child) as returns_count,
        min({{ integer_or_null('_collection_period') }}) over (partition by _area, child)
            as first_collection_year
    from source
),

latest as (
    select * from ranked where return_rank = 1
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
        {{ parse_date("latest.dob_month || '-01'") }} as birth_month,
        {{ decode_sex('latest.sex', 'latest.sex') }} as sex,
        nullif(trim(latest.ethnic), '') as ethnicity_code,
        ethnicities.label as ethnicity,
        ethnicities.major_group as ethnicity_major_group,
        case when nullif(trim(latest.ethnic), '') is not null then ethnicities.code is not null end
            as is_ethnicity_code_valid,
        {{ parse_yes_no('latest.mother') }} as is_mother,
        latest.mc_dob as mothers_child_birth_date_pseudonym,
        {{ parse_date("latest.mc_dob_month || '-01'") }} as mothers_child_birth_month,
        latest._source_file as source_file,
        latest._record_line as source_line
    from latest
    left join ethnicities on trim(latest.ethnic) = ethnicities.code
)

select * from renamed
