{#- One row per missing or away-from-placement episode, with the period of care it started
    in (null when no recorded period of the child covers the start, e.g. an episode of a
    child whose period of care began before the first return). -#}
with

{{ import_ctes({
    'missing': 'stg_ssda903__missing',
    'periods': 'int_looked_after__periods_of_care',
}) }},

with_period as (
    select
        missing.*,
        periods.period_of_care_id,
        row_number() over (
            partition by missing.area_code, missing.la_child_id_pseudonym,
                missing.missing_start_date, missing.episode_sequence
            order by periods.started_on desc
        ) as period_rank
    from missing
    left join periods
        on missing.area_code = periods.area_code
        and missing.la_child_id_pseudonym = periods.la_child_id_pseudonym
        and missing.missing_start_date >= periods.started_on
        and (periods.ended_on is null or missing.missing_start_date <= periods.ended_on)
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'area_code', "'|'",
            'la_child_id_pseudonym', "'|'",
            'cast(missing_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
            'cast(episode_sequence as ' ~ dbt.type_string() ~ ')'
        ])) }} as missing_episode_id,
        area_code,
        la_child_id_pseudonym,
        period_of_care_id,
        episode_sequence,
        missing_type_code,
        missing_type,
        is_missing_type_code_valid,
        missing_start_date,
        cast({{ dbt.date_trunc('month', 'missing_start_date') }} as date) as missing_month,
        missing_end_date,
        missing_end_date is null as is_open,
        {{ dbt.datediff('missing_start_date', 'missing_end_date', 'day') }} as duration_days,
        coalesce(missing_end_date < missing_start_date, false) as is_end_before_start,
        birth_month,
        collection_year,
        source_file,
        source_line
    from with_period
    where period_rank = 1
)

select * from final
