{#- One row per care leaver per collection year (the year of the 17th to 21st birthday
    return); rows of different years are different facts (within a year, the latest load
    wins). -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    nullif(trim(in_touch), '') as in_touch_code,
    nullif(trim(activ), '') as activity_code,
    nullif(trim(accom), '') as accommodation_code,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_oc3', 'child, _collection_period') }}) as latest
