{#- The data-quality caveat of each indicator, area and period of interest: per finding
    (table, field, check) over the period's months, the reason of its worst month and in how
    many of the period's months it was found. -#}
with

months as (
    select month, month_label, period_id from {{ ref('dim_month') }}
    where period_id is not null
),

period_lengths as (
    select period_id, count(*) as period_months from months group by period_id
),

findings as (
    select
        findings.*,
        months.period_id,
        months.month_label,
        row_number() over (
            partition by
                findings.area_code, findings.source, findings.table_name, findings.field,
                findings.check_name, months.period_id
            order by abs(findings.observed - coalesce(findings.baseline, 0)) desc, findings.month
        ) as worst_rank,
        count(*) over (
            partition by
                findings.area_code, findings.source, findings.table_name, findings.field,
                findings.check_name, months.period_id
        ) as months_found
    from {{ ref('dq_findings') }} as findings
    inner join months
        on findings.month = months.month
),

worded as (
    select
        findings.area_code,
        findings.source,
        findings.period_id,
        findings.table_name,
        findings.field,
        findings.check_name,
        replace(findings.reason, 'this month', 'in ' || findings.month_label)
        || ' (found in ' || cast(findings.months_found as varchar) || ' of the period''s '
        || cast(period_lengths.period_months as varchar) || ' months)' as caveat
    from findings
    inner join period_lengths
        on findings.period_id = period_lengths.period_id
    where findings.worst_rank = 1
),

by_source as (
    select
        area_code,
        source,
        period_id,
        {{ dbt.listagg('caveat', "'; '", 'order by table_name, field, check_name') }} as dq_caveat
    from worded
    group by area_code, source, period_id
)

select
    by_source.area_code,
    indicator_sources.indicator_id,
    by_source.period_id,
    by_source.dq_caveat
from by_source
inner join {{ ref('dq_indicator_sources') }} as indicator_sources
    on by_source.source = indicator_sources.source
