{#- The data-quality caveat of each indicator, area and month: the reasons of its source's
    month when that month is not green (quality.dq_summary). -#}
select
    summary.area_code,
    indicator_sources.indicator_id,
    summary.month,
    summary.reasons as dq_caveat
from {{ ref('dq_summary') }} as summary
inner join {{ ref('dq_indicator_sources') }} as indicator_sources
    on summary.source = indicator_sources.source
where summary.traffic_light <> 'green'
