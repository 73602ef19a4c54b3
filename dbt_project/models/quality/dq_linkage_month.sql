{#- Linkage rate per source, area and month, as the quality layer judges it. -#}
select
    area_code,
    source,
    month,
    records,
    records_linked,
    match_rate
from {{ ref('int_linkage__match_rates') }}
