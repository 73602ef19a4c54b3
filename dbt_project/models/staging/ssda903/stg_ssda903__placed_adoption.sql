{#- One row per placement for adoption (area, child, DATE_PLACED); a placement open at
    31 March is in two returns, the later one carries its end. -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    {{ parse_date('date_placed') }} as placed_date,
    {{ parse_date('date_placed_ceased') }} as placed_ceased_date,
    nullif(trim(reason_placed_ceased), '') as reason_placed_ceased_code,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_placed_adoption', 'child, date_placed') }}) as latest
