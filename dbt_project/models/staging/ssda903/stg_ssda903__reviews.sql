{#- One row per review (area, child, REVIEW date), from the latest return that holds it. -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    {{ parse_date('review') }} as review_date,
    nullif(trim(review_code), '') as participation_code,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_reviews', 'child, review') }}) as latest
