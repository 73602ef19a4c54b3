{#- One row per child (area, child): the previous permanence arrangement from the latest
    return. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_prev_perm') }}
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
        nullif(trim(prev_perm), '') as previous_permanence_code,
        nullif(trim(la_perm), '') as previous_permanence_la_code,
        {{ parse_date("case when length(trim(date_perm)) = 7 then '01/' || trim(date_perm) else date_perm end") }}
            as previous_permanence_date,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where return_rank = 1
)

select * from renamed
