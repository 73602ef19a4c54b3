{#- One row per child recorded as an unaccompanied asylum-seeking child (area, child), from
    the latest return. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_uasc') }}
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
        {{ decode_sex('sex', 'sex') }} as sex,
        {{ parse_date('duc') }} as uasc_ceased_date,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where return_rank = 1
)

select * from renamed
