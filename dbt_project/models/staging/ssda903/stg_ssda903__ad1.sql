{#- One row per adopted child (area, child), from the latest return that holds it. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_ad1') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child
            order by {{ latest_return_first() }}
        ) as return_rank
    from source
),

renamed as (
    select
        _area as area_code,
        {{ integer_or_null('_collection_period') }} as collection_year,
        child as la_child_id_pseudonym,
        dob as birth_date_pseudonym,
        {{ parse_date("dob_month || '-01'") }} as birth_month,
        {{ parse_date('date_int') }} as decision_to_adopt_date,
        {{ parse_date('date_match') }} as matched_date,
        {{ parse_yes_no('foster_care') }} as adopted_by_foster_carer,
        {{ integer_or_null('nb_adoptr') }} as adopters_count,
        nullif(trim(sex_adoptr), '') as adopters_sex_code,
        nullif(trim(ls_adoptr), '') as adopters_legal_status_code,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where return_rank = 1
)

select * from renamed
