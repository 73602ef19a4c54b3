{#- Which findings (quality.dq_findings) stand behind which figures: one row per area,
    indicator, breakdown dimension ('all' for the total), month of a value and finding. A
    finding on a field reaches the figures that read that field (dq_indicator_fields; a
    field the total reads reaches every breakdown too), a linkage finding those that read the
    source's linkage, and an extract gap, a duplicated delivery or a recording lag every
    figure of its source (macro dq_check_scopes; a check it does not name counts as
    source-wide). A value reaches back over the months it covers (seed indicators,
    months_covered: a school term), a finding forward over the months its row stands for
    (dq_catalogue months_spanned: an SSDA903 header's year). -#}
with

spans as (
    {%- for table in dq_catalogue() %}
    select
        '{{ table.table_name }}' as table_name,
        {{ table.get('months_spanned', 1) }} as months_spanned
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

findings as (
    select
        findings.*,
        case findings.check_name
            {%- for scope, checks in dq_check_scopes().items() %}
            {%- for check in checks %}
            when '{{ check }}' then '{{ scope }}'
            {%- endfor %}
            {%- endfor %}
            else 'source'
        end as scope,
        coalesce(spans.months_spanned, 1) as months_spanned
    from {{ ref('dq_findings') }} as findings
    left join spans
        on findings.table_name = spans.table_name
),

indicators as (
    {{ dq_indicators_with_sources(['months_covered']) }}
),

dimensions as (
    select indicator_id, item as breakdown_dimension
    from ({{ dq_list_items(ref('indicators'), 'indicator_id', 'breakdowns') }}) as listed
),

fields as (
    select indicator_id, breakdown_dimension, field from {{ ref('dq_indicator_fields') }}
),

reaching as (
    select
        findings.*,
        indicators.indicator_id,
        dimensions.breakdown_dimension,
        coalesce(indicators.months_covered, 1) as months_covered
    from findings
    inner join indicators
        on findings.source = indicators.source
    inner join dimensions
        on indicators.indicator_id = dimensions.indicator_id
    where findings.scope = 'source'
        or exists (
            select 1
            from fields
            where fields.indicator_id = indicators.indicator_id
                and fields.breakdown_dimension in ('all', dimensions.breakdown_dimension)
                and fields.field
                = case when findings.scope = 'linkage' then 'linkage' else findings.field end
        )
),

months as (
    select month, month_label from {{ ref('dim_month') }}
),

dated as (
    select
        reaching.*,
        case
            when reaching.months_spanned > 1
                then 'in the return for the ' || cast(reaching.months_spanned as varchar)
                || ' months from ' || finding_months.month_label
            else 'in ' || finding_months.month_label
        end as finding_when
    from reaching
    inner join months as finding_months
        on reaching.month = finding_months.month
)

select
    dated.area_code,
    dated.indicator_id,
    dated.breakdown_dimension,
    value_months.month,
    dated.source,
    dated.table_name,
    dated.field,
    dated.check_name,
    dated.scope,
    dated.month as finding_month,
    dated.observed,
    dated.baseline,
    dated.severity,
    dated.reason,
    dated.finding_when,
    case
        when dated.month = value_months.month and dated.months_spanned = 1 then dated.reason
        else replace(dated.reason, 'this month', dated.finding_when)
    end as caveat
from dated
inner join months as value_months
    on value_months.month >= dated.month
    and value_months.month <= cast({{ dbt.dateadd(
        'month', 'dated.months_spanned + dated.months_covered - 2', 'dated.month'
    ) }} as date)
