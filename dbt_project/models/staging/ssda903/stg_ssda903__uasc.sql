{#- One row per child recorded as an unaccompanied asylum-seeking child (area, child), from
    the latest return. -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    {{ decode_sex('sex', 'sex') }} as sex,
    {{ parse_date('duc') }} as uasc_ceased_date,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_uasc', 'child') }}) as latest
