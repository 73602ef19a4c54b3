{#- Each indicator is built by its own int_indicators__* model in the long shape below;
    adding an indicator means one catalogue row and one entry in this list. -#}
{%- set indicator_models = ['int_indicators__referrals'] -%}

with

indicators as (
    {% for model in indicator_models %}
    select
        area_code,
        month,
        indicator_id,
        breakdown_dimension,
        breakdown_value,
        cast(numerator as double) as numerator
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalogue as (
    select * from {{ ref('indicators') }}
),

final as (
    select
        indicators.area_code,
        indicators.month,
        indicators.indicator_id,
        indicators.breakdown_dimension,
        indicators.breakdown_value,
        indicators.numerator,
        cast(null as double) as denominator,
        indicators.numerator as value,
        catalogue.unit
    from indicators
    inner join catalogue
        on indicators.indicator_id = catalogue.indicator_id
)

select * from final
