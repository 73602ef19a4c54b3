{#- One row per early help episode (area, earl_episode_id): its row in the latest extract,
    which has its end once it ended. -#}
with

latest as (
    {{ one_row_per(
        source('ssd', 'ssd_early_help_episodes'), '_area, earl_episode_id',
        latest_extract_first(), count_as='copies_delivered') }}
),

renamed as (
    select
        {{ dbt.hash(dbt.concat(["latest._area", "'|'", "latest.earl_episode_id"])) }} as episode_key,
        latest._area as area_code,
        latest.earl_episode_id as episode_id,
        latest.earl_person_id as la_child_id_pseudonym,
        latest.copies_delivered,
        {{ ssd_date('latest.earl_episode_start_date') }} as episode_start_date,
        {{ ssd_date('latest.earl_episode_end_date') }} as episode_end_date,
        nullif(trim(latest.earl_episode_reason), '') as episode_reason,
        nullif(trim(latest.earl_episode_end_reason), '') as episode_end_reason,
        nullif(trim(latest.earl_episode_organisation), '') as organisation,
        nullif(trim(latest.earl_episode_worker_id), '') as worker_id,
        {{ lineage_columns('latest') }}
    from latest
    where latest.earl_episode_id is not null
)

select * from renamed
