{#- One row per care leaver per collection year (the year of the 17th to 21st birthday
    return); rows of different years are different facts. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_oc3') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, _collection_period
            order by _loaded_at desc, _record_line desc
        ) as delivery_rank
    from source
),

renamed as (
    select
        _area as area_code,
        {{ integer_or_null('_collection_period') }} as collection_year,
        child as la_child_id_pseudonym,
        dob as birth_date_pseudonym,
        {{ parse_date("dob_month || '-01'") }} as birth_month,
        nullif(trim(in_touch), '') as in_touch_code,
        nullif(trim(activ), '') as activity_code,
        nullif(trim(accom), '') as accommodation_code,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where delivery_rank = 1
)

select * from renamed
