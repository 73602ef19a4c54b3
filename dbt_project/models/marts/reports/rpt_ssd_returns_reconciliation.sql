{#- The SSD against the CIN census returns, month by month: for each area, month either
    covers and measure (referrals, assessments started and authorised, section 47 enquiries,
    ICPCs, plans started and ended), the records each holds, how many are the same record
    (the same id, cin_record_id, dated in the same month in both) and how many only one
    holds, with which of the two fed the month's indicators (int_coverage__feeds). A count
    is null where its source does not cover the month. -#}
{%- set measures = [
    ('referrals', 'referrals', 'referral_id', 'referral_date'),
    ('assessments_started', 'assessments', 'assessment_id', 'started_on'),
    ('assessments_authorised', 'assessments', 'assessment_id', 'authorised_on'),
    ('s47_enquiries', 'section47s', 'section47_id', 'started_on'),
    ('icpcs', 'section47s', 'section47_id', 'icpc_on'),
    ('cp_plans_started', 'cp_plans', 'cp_plan_id', 'started_on'),
    ('cp_plans_ended', 'cp_plans', 'cp_plan_id', 'ended_on'),
] -%}
with

feeds as (
    select * from {{ ref('int_coverage__feeds') }} where fed_return = 'cin_census'
),

records as (
    {% for measure, model, id_column, dated_by in measures %}
    {% for side, relation in [('returns', 'int_cin_census__' ~ model), ('ssd', 'int_ssd__' ~ model)] %}
    select
        '{{ measure }}' as measure,
        '{{ side }}' as side,
        area_code,
        cast({{ dbt.date_trunc('month', dated_by) }} as date) as month,
        {{ id_column }} as record_id
    from {{ ref(relation) }}
    where {{ dated_by }} is not null
        {%- if side == 'returns' %} and record_source = 'cin_census'{% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

held as (
    select
        area_code,
        month,
        measure,
        record_id,
        max(case when side = 'returns' then 1 else 0 end) as in_returns,
        max(case when side = 'ssd' then 1 else 0 end) as in_ssd
    from records
    group by area_code, month, measure, record_id
),

measures as (
    {% for measure, _, _, _ in measures %}
    select '{{ measure }}' as measure{% if not loop.last %} union all{% endif %}
    {% endfor %}
),

counted as (
    select
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
    cross join measures
    left join held
        on feeds.area_code = held.area_code
        and feeds.month = held.month
        and measures.measure = held.measure
    group by
        feeds.area_code, feeds.month, measures.measure, feeds.feed, feeds.is_covered_by_return,
        feeds.is_covered_by_other_source
),

final as (
    select
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
