{#- Every indicator of the registry (macros/indicators/), computed by the model of its group
    in the long shape, with its unit and family from the registry: an indicator missing from
    the seed indicators (not regenerated) fails the relationships test, not the join. -#}
with

indicators as (
    {% for group in indicator_groups() %}
    select
        area_code,
        month,
        indicator_id,
        breakdown_dimension,
        breakdown_value,
        cast(numerator as {{ dbt.type_float() }}) as numerator,
        cast(denominator as {{ dbt.type_float() }}) as denominator,
        cast(value as {{ dbt.type_float() }}) as value
    from {{ ref('fct_indicator_monthly__' ~ group) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalogue (indicator_id, unit, family) as (
    values
    {%- for indicator in indicator_registry() %}
        ('{{ indicator['indicator_id'] }}', '{{ indicator['unit'] }}', '{{ indicator['family'] }}')
        {{- ',' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        indicators.area_code,
        indicators.month,
        indicators.indicator_id,
        indicators.breakdown_dimension,
        indicators.breakdown_value,
        indicators.numerator,
        indicators.denominator,
        indicators.value,
        catalogue.unit,
        catalogue.family
    from indicators
    inner join catalogue
        on indicators.indicator_id = catalogue.indicator_id
)

select * from final
