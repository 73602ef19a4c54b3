{#- One row per early help episode (SSD): when it started and ended, how long it lasted
    (once ended), the reasons and who provided it. -#}
with

{{ import_ctes({
    'episodes': 'stg_ssd__early_help_episodes',
}) }},

final as (
    select
        episode_key,
        area_code,
        episode_id,
        la_child_id_pseudonym,
        episode_start_date,
        cast({{ dbt.date_trunc('month', 'episode_start_date') }} as date) as episode_start_month,
        episode_end_date,
        episode_end_date is null as is_open,
        {{ dbt.datediff('episode_start_date', 'episode_end_date', 'day') }} as duration_days,
        episode_reason,
        episode_end_reason,
        organisation,
        source_file,
        source_line
    from episodes
)

select * from final
