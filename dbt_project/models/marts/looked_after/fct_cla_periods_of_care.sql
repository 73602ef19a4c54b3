{#- One row per period of care with the child's characteristics at its start and whether
    the child was previously known to children's social care: a CIN episode (referral to
    closure, fct_referrals) or a child protection plan (fct_cp_plans) of the same child
    (area and pseudonymised LA child id) open at any time in the 12 months up to and
    including the day care started. -#}
with

{{ import_ctes({
    'periods': 'int_looked_after__periods_of_care',
    'children': 'int_looked_after__children',
    'age_bands': 'age_bands',
    'referrals': 'fct_referrals',
    'cp_plans': 'fct_cp_plans',
}) }},

windows as (
    select
        period_of_care_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        cast({{ dbt.dateadd('month', -12, 'started_on') }} as date) as known_window_start
    from periods
),

{#- Each kind of earlier involvement counted in the window: (CTE, what it counts, the
    relation, its start and end columns). -#}
{%- set involvements = [
    ('known_cin', 'cin_episodes_in_window', 'referrals', 'referral_date', 'closure_date'),
    ('known_cp', 'cp_plans_in_window', 'cp_plans', 'started_on', 'ended_on'),
] %}
{%- for name, counted, relation, start_column, end_column in involvements %}

{{ name }} as (
    select
        windows.period_of_care_id,
        count(*) as {{ counted }}
    from windows
    inner join {{ relation }}
        on {{ columns_match('windows', relation, ['area_code', 'la_child_id_pseudonym']) }}
        and {{ relation }}.{{ start_column }} <= windows.started_on
        and coalesce({{ relation }}.{{ end_column }}, windows.started_on)
            >= windows.known_window_start
    group by windows.period_of_care_id
),
{%- endfor %}

with_child as (
    select
        periods.*,
        children.sex,
        children.birth_month,
        children.ethnicity_code,
        {{ decoded_or_reason('children.ethnicity_code', 'children.ethnicity_major_group',
            'children.ethnicity_major_group') }} as ethnicity_major_group,
        {{ age_in_years('children.birth_month', 'periods.started_on') }} as age_at_start,
        coalesce(children.is_recorded_uasc, false)
            and (children.uasc_ceased_date is null
                or children.uasc_ceased_date > periods.started_on) as is_uasc,
        coalesce(known_cin.cin_episodes_in_window, 0) as cin_episodes_in_previous_12_months,
        coalesce(known_cp.cp_plans_in_window, 0) as cp_plans_in_previous_12_months
    from periods
    left join children
        on {{ columns_match('periods', 'children', ['area_code', 'la_child_id_pseudonym']) }}
    left join known_cin
        on periods.period_of_care_id = known_cin.period_of_care_id
    left join known_cp
        on periods.period_of_care_id = known_cp.period_of_care_id
),

final as (
    select
        with_child.period_of_care_id,
        with_child.area_code,
        with_child.la_child_id_pseudonym,
        with_child.child_period_number,
        with_child.started_on,
        with_child.started_month,
        with_child.is_start_recorded,
        with_child.reason_new_episode_code_at_start,
        with_child.ended_on,
        with_child.ended_month,
        with_child.is_open,
        with_child.duration_days,
        with_child.legal_status_code_at_start,
        {{ decoded_or_reason('with_child.legal_status_code_at_start',
            'with_child.legal_status_group_at_start', 'with_child.legal_status_group_at_start')
        }} as legal_status_group,
        with_child.placement_type_code_at_start,
        with_child.primary_need_code,
        with_child.sex,
        with_child.birth_month,
        with_child.age_at_start,
        coalesce(age_bands.age_band, 'not_recorded') as age_band,
        with_child.ethnicity_code,
        with_child.ethnicity_major_group,
        with_child.is_uasc,
        with_child.reason_ceased_code,
        case
            when with_child.ended_on is null then null
            when with_child.reason_ceased_group is null then 'invalid_code'
            else with_child.reason_ceased_group
        end as reason_ceased_group,
        with_child.cin_episodes_in_previous_12_months,
        with_child.cp_plans_in_previous_12_months,
        with_child.cin_episodes_in_previous_12_months > 0
            or with_child.cp_plans_in_previous_12_months > 0 as is_previously_known,
        with_child.episodes_count,
        with_child.placements_count,
        with_child.placement_moves_count,
        with_child.is_end_before_start,
        with_child.has_episode_ending_before_start,
        with_child.record_source
    from with_child
    left join age_bands
        on with_child.age_at_start between age_bands.min_age and age_bands.max_age
        and age_bands.age_band <> 'unborn'
)

select * from final
