{#- The data-quality caveat of each indicator, area, breakdown dimension ('all' for the
    total) and period of interest: per finding that can affect the figures
    (dq_indicator_findings: table, field, check) over the period's months, the reason of its
    worst month and in how many of the period's months it was found. -#}
with

months as (
    select month, period_id from {{ ref('dim_month') }}
    where period_id is not null
),

period_lengths as (
    select period_id, count(*) as period_months from months group by period_id
),

affected as (
    select indicator_findings.*, months.period_id
    from {{ ref('dq_indicator_findings') }} as indicator_findings
    inner join months
        on indicator_findings.month = months.month
),

months_found as (
    select
        area_code, indicator_id, breakdown_dimension, period_id, table_name, field, check_name,
        count(distinct month) as months_found
    from affected
    group by
        area_code, indicator_id, breakdown_dimension, period_id, table_name, field, check_name
),

ranked as (
    select
        affected.*,
        row_number() over (
            partition by
                affected.area_code, affected.indicator_id, affected.breakdown_dimension,
                affected.period_id, affected.table_name, affected.field, affected.check_name
            order by
                abs(affected.observed - coalesce(affected.baseline, 0)) desc,
                affected.finding_month, affected.month
        ) as worst_rank
    from affected
),

worded as (
    select
        ranked.area_code,
        ranked.indicator_id,
        ranked.breakdown_dimension,
        ranked.period_id,
        ranked.table_name,
        ranked.field,
        ranked.check_name,
        replace(ranked.reason, 'this month', ranked.finding_when)
        || ' (found in ' || cast(months_found.months_found as varchar) || ' of the period''s '
        || cast(period_lengths.period_months as varchar) || ' months)' as caveat
    from ranked
    inner join months_found
        on {{ columns_match('ranked', 'months_found', [
            'area_code', 'indicator_id', 'breakdown_dimension', 'period_id', 'table_name', 'field',
            'check_name']) }}
    inner join period_lengths
        on ranked.period_id = period_lengths.period_id
    where ranked.worst_rank = 1
)

select
    area_code,
    indicator_id,
    breakdown_dimension,
    period_id,
    {{ dbt.listagg('caveat', "'; '", 'order by table_name, field, check_name') }} as dq_caveat
from worded
group by area_code, indicator_id, breakdown_dimension, period_id
