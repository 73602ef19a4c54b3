{#- One row per review (area, child, REVIEW date), from the latest return that holds it. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_reviews') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, review
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
        {{ parse_date('review') }} as review_date,
        nullif(trim(review_code), '') as participation_code,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where return_rank = 1
)

select * from renamed
