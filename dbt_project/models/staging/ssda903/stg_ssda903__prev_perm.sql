{#- One row per child (area, child): the previous permanence arrangement from the latest
    return. -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    nullif(trim(prev_perm), '') as previous_permanence_code,
    nullif(trim(la_perm), '') as previous_permanence_la_code,
    {{ parse_date("case when length(trim(date_perm)) = 7 then '01/' || trim(date_perm) else date_perm end") }}
        as previous_permanence_date,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_prev_perm', 'child') }}) as latest
