{#- One row per social worker episode (area, child, SW_ID, SW_DECOM), from the latest return
    (the table exists from the 2024 return). -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_social_worker') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, sw_id, sw_decom
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
        sw_id as social_worker_id,
        {{ parse_date('sw_decom') }} as social_worker_episode_start_date,
        {{ parse_date('sw_dec') }} as social_worker_episode_end_date,
        nullif(trim(sw_reason), '') as social_worker_change_reason_code,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where return_rank = 1
)

select * from renamed
