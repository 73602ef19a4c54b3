{#- The data-quality caveat of each indicator, area, breakdown dimension ('all' for the
    total) and month: the findings that can affect its figures (dq_indicator_findings), in
    words; no row when none can. -#}
select
    area_code,
    indicator_id,
    breakdown_dimension,
    month,
    {{ dbt.listagg('caveat', "'; '", 'order by table_name, field, check_name, finding_month') }}
        as dq_caveat
from {{ ref('dq_indicator_findings') }}
group by area_code, indicator_id, breakdown_dimension, month
