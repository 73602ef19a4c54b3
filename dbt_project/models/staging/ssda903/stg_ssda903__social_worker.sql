{#- One row per social worker episode (area, child, SW_ID, SW_DECOM), from the latest return
    (the table exists from the 2024 return). -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    sw_id as social_worker_id,
    {{ parse_date('sw_decom') }} as social_worker_episode_start_date,
    {{ parse_date('sw_dec') }} as social_worker_episode_end_date,
    nullif(trim(sw_reason), '') as social_worker_change_reason_code,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_social_worker', 'child, sw_id, sw_decom') }}) as latest
