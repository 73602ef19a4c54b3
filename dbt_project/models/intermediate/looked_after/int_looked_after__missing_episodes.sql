{#- One row per missing or away-from-placement episode, the SSDA903 return's and the SSD's
    in the months it feeds (fed_records, the registry's rule), with the period of care it
    started in (null when no recorded period of the child covers the start, e.g. an episode
    of a child whose period of care began before the first return). -#}
with

{{ import_ctes({
    'returned_spells': 'stg_ssda903__missing',
    'from_ssd': 'int_ssd__missing_episodes',
    'periods': 'int_looked_after__periods_of_care',
    'missing_types': 'ssda903_missing_types',
}) }},

returned as (
    select
        *,
        {{ missing_episode_id('area_code', 'la_child_id_pseudonym', 'missing_start_date',
            'episode_sequence') }} as missing_episode_id
    from returned_spells
),

fed as (
    {{ fed_records('returned', 'from_ssd', 'missing_episode_id', 'missing_start_date',
        ['missing_episode_id', 'area_code', 'la_child_id_pseudonym', 'episode_sequence',
            'missing_type_code', 'missing_start_date', 'missing_end_date', 'birth_month',
            'collection_year', 'source_file', 'source_line'],
        carried={'missing_end_date': 'missing_end_date'}, fed_return='ssda903') }}
),

{#- Either source's code decoded once, as stg_ssda903__missing decodes the return's. -#}
missing as (
    select
        fed.*,
        missing_types.label as missing_type,
        {{ code_is_valid('fed.missing_type_code', 'missing_types.code') }}
            as is_missing_type_code_valid
    from fed
    left join missing_types on fed.missing_type_code = missing_types.code
),

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
        on {{ columns_match('missing', 'periods', ['area_code', 'la_child_id_pseudonym']) }}
        and missing.missing_start_date >= periods.started_on
        and (periods.ended_on is null or missing.missing_start_date <= periods.ended_on)
),

final as (
    select
        missing_episode_id,
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
        record_source,
        source_file,
        source_line
    from with_period
    where period_rank = 1
)

select * from final
