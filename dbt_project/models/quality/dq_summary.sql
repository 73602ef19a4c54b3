{#- One row per area, source and month delivered: a traffic light (green: no finding;
    amber: content findings; red: a possible extract gap or a failing share far above the
    baseline) and the reasons, readable, null when green. -#}
with

source_months as (
    select distinct area_code, source, month from {{ ref('dq_volume_month') }}
),

findings as (
    select * from {{ ref('dq_findings') }}
),

judged as (
    select
        area_code,
        source,
        month,
        count(*) as findings,
        max(case when severity = 'red' then 1 else 0 end) as has_red,
        {{ dbt.listagg('reason', "'; '", 'order by table_name, field, check_name') }} as reasons
    from findings
    group by area_code, source, month
)

select
    source_months.area_code,
    source_months.source,
    source_months.month,
    coalesce(judged.findings, 0) as findings,
    case
        when judged.has_red = 1 then 'red'
        when judged.findings > 0 then 'amber'
        else 'green'
    end as traffic_light,
    judged.reasons
from source_months
left join judged
    on {{ columns_match('source_months', 'judged', ['area_code', 'source', 'month']) }}
