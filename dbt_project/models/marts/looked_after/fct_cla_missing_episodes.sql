{#- One row per episode of a child looked after missing from, or away without authorisation
    from, the placement, with the child's age at its start. -#}
with

{{ import_ctes({'missing': 'int_looked_after__missing_episodes', 'age_bands': 'age_bands'}) }},

with_age as (
    select
        missing.*,
        {{ age_in_years('missing.birth_month', 'missing.missing_start_date') }} as age_at_start
    from missing
),

final as (
    select
        with_age.missing_episode_id,
        with_age.area_code,
        with_age.la_child_id_pseudonym,
        with_age.period_of_care_id,
        with_age.episode_sequence,
        {{ decoded_or_reason('with_age.missing_type_code', 'with_age.missing_type',
            'with_age.missing_type_code') }} as missing_type_code,
        with_age.missing_type,
        with_age.missing_start_date,
        with_age.missing_month,
        with_age.missing_end_date,
        with_age.is_open,
        with_age.duration_days,
        with_age.is_end_before_start,
        with_age.age_at_start,
        coalesce(age_bands.age_band, 'not_recorded') as age_band,
        with_age.record_source,
        with_age.source_file,
        with_age.source_line
    from with_age
    left join age_bands
        on with_age.age_at_start between age_bands.min_age and age_bands.max_age
        and age_bands.age_band <> 'unborn'
)

select * from final
