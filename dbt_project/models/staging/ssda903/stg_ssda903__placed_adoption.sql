{#- One row per placement for adoption (area, child, DATE_PLACED); a placement open at
    31 March is in two returns, the later one carries its end. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_placed_adoption') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, date_placed
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
        {{ parse_date('date_placed') }} as placed_date,
        {{ parse_date('date_placed_ceased') }} as placed_ceased_date,
        nullif(trim(reason_placed_ceased), '') as reason_placed_ceased_code,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where return_rank = 1
)

select * from renamed
