{#- Which delivered source stands behind each catalogue indicator. -#}
select
    indicators.indicator_id,
    coalesce(aliases.delivered_source, indicators.source) as source
from {{ ref('indicators') }} as indicators
left join {{ ref('dq_source_aliases') }} as aliases
    on indicators.source = aliases.catalogue_source
