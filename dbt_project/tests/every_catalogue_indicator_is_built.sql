{#- Adding a row to the catalogue without its model (or the model to the union) fails here,
    for every source the warehouse holds deliveries of. -#}
select catalogue.indicator_id
from {{ ref('indicators') }} as catalogue
inner join (select distinct source from {{ ref('int_coverage__months') }}) as delivered
    on catalogue.source = delivered.source
left join (select distinct indicator_id from {{ ref('fct_indicator_monthly') }}) as built
    on catalogue.indicator_id = built.indicator_id
where built.indicator_id is null
