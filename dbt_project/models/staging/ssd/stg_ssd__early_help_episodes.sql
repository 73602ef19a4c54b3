{#- One row per early help episode (area, earl_episode_id): its row in the latest extract,
    which has its end once it ended. -#}
with

latest as (
    {{ ssd_latest_rows('ssd_early_help_episodes', 'earl_episode_id') }}
),

renamed as (
    select
        {{ ssd_object_columns('earl_person_id', 'earl_episode_id', 'episode') }},
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
