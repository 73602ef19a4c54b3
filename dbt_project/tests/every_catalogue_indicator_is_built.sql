{#- Adding a row to the catalogue without its model (or the model to the union) fails here. -#}
select catalogue.indicator_id
from {{ ref('indicators') }} as catalogue
left join (select distinct indicator_id from {{ ref('fct_indicator_monthly') }}) as built
    on catalogue.indicator_id = built.indicator_id
where built.indicator_id is null
