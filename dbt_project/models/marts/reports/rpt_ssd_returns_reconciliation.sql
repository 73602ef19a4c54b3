{#- The SSD against the returns it also holds, month by month: for each return, area, month
    either covers and measure (of the CIN census: referrals, assessments started and
    authorised, section 47 enquiries, ICPCs, plans started and ended; of the SSDA903 return:
    episodes of care started and ceased, missing episodes), the records each holds, how many
    are the same record (the same id, record_id, dated in the same month in both) and how
    many only one holds, with which of the two fed the month's indicators
    (int_coverage__feeds). A count is null where its source does not cover the month. -#}
{#- (return, measure, the return's model, the SSD's, the record's id, the date placing it):
    the return's model keeps the SSD's rows too, record_source tells them apart. -#}
{%- set cin, cla = 'int_cin_census__', 'int_looked_after__' -%}
{%- set measures = [
    ('cin_census', 'referrals', cin ~ 'referrals', 'int_ssd__referrals', 'referral_id',
        'referral_date'),
    ('cin_census', 'assessments_started', cin ~ 'assessments', 'int_ssd__assessments',
        'assessment_id', 'started_on'),
    ('cin_census', 'assessments_authorised', cin ~ 'assessments', 'int_ssd__assessments',
        'assessment_id', 'authorised_on'),
    ('cin_census', 's47_enquiries', cin ~ 'section47s', 'int_ssd__section47s', 'section47_id',
        'started_on'),
    ('cin_census', 'icpcs', cin ~ 'section47s', 'int_ssd__section47s', 'section47_id',
        'icpc_on'),
    ('cin_census', 'cp_plans_started', cin ~ 'cp_plans', 'int_ssd__cp_plans', 'cp_plan_id',
        'started_on'),
    ('cin_census', 'cp_plans_ended', cin ~ 'cp_plans', 'int_ssd__cp_plans', 'cp_plan_id',
        'ended_on'),
    ('ssda903', 'care_episodes_started', cla ~ 'episodes', 'int_ssd__cla_episodes',
        'care_record_id', 'episode_start_date'),
    ('ssda903', 'care_episodes_ceased', cla ~ 'episodes', 'int_ssd__cla_episodes',
        'care_record_id', 'episode_end_date'),
    ('ssda903', 'missing_episodes', cla ~ 'missing_episodes', 'int_ssd__missing_episodes',
        'missing_episode_id', 'missing_start_date'),
] -%}
with

feeds as (
    select * from {{ ref('int_coverage__feeds') }}
),

records as (
    {% for fed_return, measure, returned, from_ssd, id_column, dated_by in measures %}
    {% for side, relation in [('returns', returned), ('ssd', from_ssd)] %}
    select
        '{{ fed_return }}' as fed_return,
        '{{ measure }}' as measure,
        '{{ side }}' as side,
        area_code,
        cast({{ dbt.date_trunc('month', dated_by) }} as date) as month,
        {{ id_column }} as record_id
    from {{ ref(relation) }}
    where {{ dated_by }} is not null
        {%- if side == 'returns' %} and record_source = '{{ fed_return }}'{% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

held as (
    select
        fed_return,
        area_code,
        month,
        measure,
        record_id,
        max(case when side = 'returns' then 1 else 0 end) as in_returns,
        max(case when side = 'ssd' then 1 else 0 end) as in_ssd
    from records
    group by fed_return, area_code, month, measure, record_id
),

measures as (
    {% for fed_return, measure, _, _, _, _ in measures %}
    select '{{ fed_return }}' as fed_return, '{{ measure }}' as measure
    {%- if not loop.last %} union all{% endif %}
    {% endfor %}
),

counted as (
    select
        feeds.fed_return,
        feeds.area_code,
        feeds.month,
        measures.measure,
        feeds.feed,
        feeds.is_covered_by_return,
        feeds.is_covered_by_other_source as is_covered_by_ssd,
        coalesce(sum(held.in_returns), 0) as returns_records,
        coalesce(sum(held.in_ssd), 0) as ssd_records,
        coalesce(sum(held.in_returns * held.in_ssd), 0) as matched_records
    from feeds
    inner join measures
        on feeds.fed_return = measures.fed_return
    left join held
        on {{ columns_match('feeds', 'held', ['fed_return', 'area_code', 'month']) }}
        and measures.measure = held.measure
    group by
        feeds.fed_return, feeds.area_code, feeds.month, measures.measure, feeds.feed,
        feeds.is_covered_by_return, feeds.is_covered_by_other_source
),

final as (
    select
        fed_return,
        area_code,
        month,
        measure,
        feed,
        case when is_covered_by_return then returns_records end as returns_records,
        case when is_covered_by_ssd then ssd_records end as ssd_records,
        case when is_covered_by_return and is_covered_by_ssd then matched_records end
            as matched_records,
        case when is_covered_by_return and is_covered_by_ssd
            then returns_records - matched_records end as only_in_returns,
        case when is_covered_by_return and is_covered_by_ssd
            then ssd_records - matched_records end as only_in_ssd,
        case when is_covered_by_return and is_covered_by_ssd
            then ssd_records - returns_records end as difference
    from counted
)

select * from final
