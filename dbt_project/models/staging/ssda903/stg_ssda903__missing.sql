{#- One row per missing or away episode. An episode open at 31 March is in two returns and
    the later one carries its end date, so for each (area, child, MIS_START) only the latest
    return's rows are kept; a child can go missing twice on one day, so rows of that return
    are numbered (episode_sequence) rather than collapsed. -#}
with

ranked as (
    select
        delivered.*,
        max({{ integer_or_null('_collection_period') }}) over (partition by _area, child, mis_start)
            as latest_collection_year,
        max(_loaded_at) over (partition by _area, child, mis_start, _collection_period)
            as latest_loaded_at
    from {{ source('ssda903', 'ssda903_missing') }} as delivered
),

latest as (
    select
        ranked.*,
        row_number() over (
            partition by _area, child, mis_start
            order by _record_line
        ) as episode_sequence
    from ranked
    where {{ integer_or_null('_collection_period') }} = latest_collection_year
        and _loaded_at = latest_loaded_at
),

missing_types as (
    select * from {{ ref('ssda903_missing_types') }}
),

renamed as (
    select
        {{ ssda903_return_columns('latest') }},
        {{ ssda903_child_columns('latest') }},
        {{ decoded_code_columns('latest.missing', 'missing_types', 'missing_type') }},
        {{ parse_date('latest.mis_start') }} as missing_start_date,
        {{ parse_date('latest.mis_end') }} as missing_end_date,
        latest.episode_sequence,
        {{ lineage_columns('latest') }}
    from latest
    left join missing_types on trim(latest.missing) = missing_types.code
)

select * from renamed
