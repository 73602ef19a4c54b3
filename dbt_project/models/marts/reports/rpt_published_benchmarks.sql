{#- Each authority's annual figures computed from its records next to the figure DfE
    published for the same authority and year, and next to England and the authority's
    region, per 10,000 children.
    For real data this is the reconciliation against the authority's own DfE return. -#}
with

monthly as (
    select * from {{ ref('fct_indicator_monthly') }}
    where breakdown_dimension = 'all'
),

months as (
    select * from {{ ref('dim_month') }}
),

population as (
    select * from {{ ref('int_population__children_monthly') }}
    where breakdown_dimension = 'all'
),

published as (
    select * from {{ ref('la_annual_volumes') }}
),

measures as (
    {%- set measures = [
        ('referrals', 'referrals'),
        ('s47_enquiries', 's47'),
        ('icpcs', 'icpc'),
        ('cp_plans_started', 'cpp_starts'),
        ('cla_starts', 'cla_starts'),
    ] %}
    {% for indicator_id, column in measures %}
    select '{{ indicator_id }}' as indicator_id, '{{ column }}' as published_column
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

computed as (
    select
        monthly.area_code,
        months.year_ending_march,
        monthly.indicator_id,
        sum(monthly.numerator) as computed,
        count(*) as months_covered
    from monthly
    inner join months
        on monthly.month = months.month
    inner join measures
        on monthly.indicator_id = measures.indicator_id
    group by monthly.area_code, months.year_ending_march, monthly.indicator_id
    having count(*) = 12
),

children as (
    select
        population.area_code,
        months.year_ending_march,
        avg(population.children) as children
    from population
    inner join months
        on population.month = months.month
    group by population.area_code, months.year_ending_march
),

published_long as (
    {% for indicator_id, column in measures %}
    select
        time_period as year_ending_march,
        geographic_level,
        old_la_code as area_code,
        la_name,
        region_code,
        region_name,
        '{{ indicator_id }}' as indicator_id,
        {{ column }} as published,
        referrals / nullif(referrals_per_10k, 0) * 10000 as published_children
    from published
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        computed.area_code,
        authority.la_name,
        authority.region_name,
        computed.year_ending_march,
        computed.indicator_id,
        computed.computed,
        computed.computed * 10000 / nullif(children.children, 0) as computed_per_10000,
        authority.published as published_for_area,
        authority.published * 10000 / nullif(authority.published_children, 0)
            as published_for_area_per_10000,
        region.published * 10000 / nullif(region.published_children, 0)
            as region_per_10000,
        england.published * 10000 / nullif(england.published_children, 0)
            as england_per_10000,
        computed.computed - authority.published as difference_from_published
    from computed
    left join children
        on {{ columns_match('computed', 'children', ['area_code', 'year_ending_march']) }}
    left join published_long as authority
        on {{ columns_match('computed', 'authority', [
            'area_code', 'year_ending_march', 'indicator_id']) }}
    left join published_long as region
        on region.geographic_level = 'Regional'
        and authority.region_code = region.region_code
        and computed.year_ending_march = region.year_ending_march
        and computed.indicator_id = region.indicator_id
    left join published_long as england
        on england.geographic_level = 'National'
        and computed.year_ending_march = england.year_ending_march
        and computed.indicator_id = england.indicator_id
)

select * from final
