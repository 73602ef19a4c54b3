{#- The SSD's missing and away-from-placement episodes as the SSDA903 return's
    (stg_ssda903__missing's codes): one row per area, child, start and sequence (two
    episodes of a child on one day numbered by their id, as the return numbers its rows),
    identified as int_looked_after__missing_episodes identifies the return's, with the
    child's birth month from the SSD's person. -#}
with

{{ import_ctes({
    'spells': 'stg_ssd__missing',
    'people': 'stg_ssd__person',
}) }},

numbered as (
    select
        spells.*,
        row_number() over (
            partition by area_code, la_child_id_pseudonym, started_on
            order by missing_episode_id
        ) as episode_sequence
    from spells
    where started_on is not null and la_child_id_pseudonym is not null
),

final as (
    select
        {{ missing_episode_id('numbered.area_code', 'numbered.la_child_id_pseudonym',
            'numbered.started_on', 'numbered.episode_sequence') }} as missing_episode_id,
        numbered.area_code,
        numbered.la_child_id_pseudonym,
        numbered.episode_sequence,
        numbered.missing_type_code,
        numbered.started_on as missing_start_date,
        numbered.ended_on as missing_end_date,
        people.birth_month,
        cast(null as integer) as collection_year,
        numbered.source_file,
        numbered.source_line
    from numbered
    left join people
        on {{ columns_match('numbered', 'people', ['area_code', 'la_child_id_pseudonym']) }}
)

select * from final
