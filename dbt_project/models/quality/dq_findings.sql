{#- Every data-quality finding: a source, table, field and month whose recording is out of
    line with its own baseline (the months outside every period of interest; same calendar
    month for volume), under the thresholds of seed dq_thresholds. One row per finding with
    what was observed, what the baseline was, a readable reason, a severity (red or amber)
    and an example row reference (file:line, never an identifier). -#}
with

thresholds as (
    select * from {{ ref('dq_thresholds') }}
),

months as (
    select month, month_number, period_id from {{ ref('dim_month') }}
),

field_months as (
    select field_month.*, months.period_id is null as is_baseline_month
    from {{ ref('dq_field_month') }} as field_month
    inner join months on field_month.month = months.month
),

volume_months as (
    select volume.*, months.month_number, months.period_id is null as is_baseline_month
    from {{ ref('dq_volume_month') }} as volume
    inner join months on volume.month = months.month
),

lag_months as (
    select lag.*, months.period_id is null as is_baseline_month
    from {{ ref('dq_timeliness_month') }} as lag
    inner join months on lag.month = months.month
),

linkage_months as (
    select linkage.*, months.period_id is null as is_baseline_month
    from {{ ref('dq_linkage_month') }} as linkage
    inner join months on linkage.month = months.month
),

labels as (
    {% for table in dq_catalogue() %}
    {% for field in table.fields %}
    select
        '{{ table.table_name }}' as table_name,
        '{{ field.field }}' as field,
        '{{ field.label }}' as label,
        '{{ field.get("start_label", "") }}' as start_label,
        '{{ table.noun }}' as noun
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

nouns as (
    select distinct table_name, noun from labels
),

field_baselines as (
    select
        area_code, table_name, field, check_name,
        sum(rows_failing) * 1.0 / nullif(sum(rows_checked), 0) as baseline_share
    from field_months
    where is_baseline_month
    group by area_code, table_name, field, check_name
),

field_findings as (
    select
        checked.area_code,
        checked.source,
        checked.table_name,
        checked.field,
        checked.month,
        checked.check_name,
        checked.rule_code,
        checked.rows_checked,
        checked.rows_failing,
        checked.rows_failing * 1.0 / checked.rows_checked as observed,
        coalesce(baselines.baseline_share, 0) as baseline,
        'share' as unit,
        checked.example_row,
        case
            when checked.rows_failing * 1.0 / checked.rows_checked
                - coalesce(baselines.baseline_share, 0) >= thresholds.red_share_points
                then 'red'
            else 'amber'
        end as severity,
        case checked.check_name
            when 'completeness' then
                labels.label || ' missing on ' || {{ dq_percent('checked.rows_failing * 1.0 / checked.rows_checked') }}
                || ' of ' || labels.noun || ' this month against '
                || {{ dq_percent('coalesce(baselines.baseline_share, 0)') }} || ' in the baseline'
            when 'validity' then
                labels.label || ' not in the code list on '
                || cast(checked.rows_failing as varchar) || ' ' || labels.noun
                || ' this month (' || {{ dq_percent('checked.rows_failing * 1.0 / checked.rows_checked') }} || ')'
            else
                labels.label || ' before ' || labels.start_label || ' on '
                || cast(checked.rows_failing as varchar) || ' ' || labels.noun || ' this month'
        end
        || case when checked.rule_code <> '' then ' (DfE rule ' || checked.rule_code || ')' else '' end
        as reason
    from field_months as checked
    inner join thresholds
        on checked.check_name = thresholds.check_name
    inner join labels
        on {{ columns_match('checked', 'labels', ['table_name', 'field']) }}
    left join field_baselines as baselines
        on {{ columns_match('checked', 'baselines', [
            'area_code', 'table_name', 'field', 'check_name']) }}
    where checked.rows_failing > 0
        and checked.rows_failing > checked.rows_checked * coalesce(baselines.baseline_share, 0)
            + thresholds.z_score * sqrt(checked.rows_checked * coalesce(baselines.baseline_share, 0))
        and checked.rows_failing * 1.0 / checked.rows_checked - coalesce(baselines.baseline_share, 0)
            >= thresholds.min_share_points
),

volume_baselines as (
    select
        area_code, table_name, month_number,
        avg(row_count) as baseline_rows
    from volume_months
    where is_baseline_month
    group by area_code, table_name, month_number
),

volume_findings as (
    select
        {{ dq_table_finding_keys('volume', 'volume') }},
        volume.row_count as rows_checked,
        cast(null as bigint) as rows_failing,
        volume.row_count * 1.0 as observed,
        baselines.baseline_rows as baseline,
        'rows' as unit,
        volume.example_row,
        'red' as severity,
        cast(volume.row_count as varchar) || ' ' || nouns.noun || ' this month against '
        || cast(round(baselines.baseline_rows) as varchar) || ' in the same month of the baseline'
        || ': possible extract gap, not a fall in need' as reason
    from volume_months as volume
    inner join volume_baselines as baselines
        on {{ columns_match('volume', 'baselines', ['area_code', 'table_name', 'month_number']) }}
    inner join nouns
        on volume.table_name = nouns.table_name
    inner join thresholds
        on thresholds.check_name = 'volume'
    where baselines.baseline_rows >= {{ var('flag_min_baseline_count') }}
        and volume.row_count < thresholds.near_zero_share * baselines.baseline_rows
),

duplicate_findings as (
    select
        {{ dq_table_finding_keys('volume', 'duplicates') }},
        volume.row_count as rows_checked,
        volume.duplicate_rows as rows_failing,
        volume.duplicate_rows * 1.0 / nullif(volume.row_count, 0) as observed,
        0.0 as baseline,
        'share' as unit,
        volume.example_row,
        case
            when volume.duplicate_rows * 1.0 / nullif(volume.row_count, 0)
                >= thresholds.red_share_points then 'red'
            else 'amber'
        end as severity,
        case
            when volume.duplicate_rows > 0 then
                cast(volume.duplicate_rows as varchar) || ' ' || nouns.noun
                || ' delivered twice this month ('
                || {{ dq_percent('volume.duplicate_rows * 1.0 / volume.row_count') }} || ')'
            else ''
        end
        || case
            when volume.duplicate_rows > 0 and volume.deliveries > 1 then '; ' else ''
        end
        || case
            when volume.deliveries > 1 then
                'the month was delivered ' || cast(volume.deliveries as varchar) || ' times'
            else ''
        end as reason
    from volume_months as volume
    inner join nouns
        on volume.table_name = nouns.table_name
    inner join thresholds
        on thresholds.check_name = 'duplicates'
    where volume.duplicate_rows > 0 or volume.deliveries > 1
),

lag_baselines as (
    {{ dq_baseline_spread('lag_months', ['area_code', 'table_name'], 'mean_lag_days', 'baseline_lag') }}
),

lag_findings as (
    select
        lag.area_code,
        lag.source,
        lag.table_name,
        lag.field,
        lag.month,
        'timeliness' as check_name,
        '' as rule_code,
        lag.rows_timed as rows_checked,
        cast(null as bigint) as rows_failing,
        lag.mean_lag_days as observed,
        baselines.baseline_lag as baseline,
        'days' as unit,
        cast(null as varchar) as example_row,
        'amber' as severity,
        nouns.noun || ' recorded ' || cast(round(lag.mean_lag_days, 1) as varchar)
        || ' days after the event on average this month against '
        || cast(round(baselines.baseline_lag, 1) as varchar) || ' in the baseline' as reason
    from lag_months as lag
    inner join lag_baselines as baselines
        on {{ columns_match('lag', 'baselines', ['area_code', 'table_name']) }}
    inner join nouns
        on lag.table_name = nouns.table_name
    inner join thresholds
        on thresholds.check_name = 'timeliness'
    where {{ dq_beyond_baseline('lag.mean_lag_days', 'baselines.baseline_lag', 'thresholds.min_days') }}
),

linkage_baselines as (
    {{ dq_baseline_spread('linkage_months', ['area_code', 'source'], 'match_rate', 'baseline_rate') }}
),

linkage_findings as (
    select
        linkage.area_code,
        linkage.source,
        linkage.source as table_name,
        '' as field,
        linkage.month,
        'linkage' as check_name,
        '' as rule_code,
        linkage.records as rows_checked,
        linkage.records - linkage.records_linked as rows_failing,
        linkage.match_rate as observed,
        baselines.baseline_rate as baseline,
        'share' as unit,
        cast(null as varchar) as example_row,
        case
            when baselines.baseline_rate - linkage.match_rate >= thresholds.red_share_points
                then 'red'
            else 'amber'
        end as severity,
        {{ dq_percent('linkage.match_rate') }} || ' of records linked to a child this month against '
        || {{ dq_percent('baselines.baseline_rate') }} || ' in the baseline' as reason
    from linkage_months as linkage
    inner join linkage_baselines as baselines
        on {{ columns_match('linkage', 'baselines', ['area_code', 'source']) }}
    inner join thresholds
        on thresholds.check_name = 'linkage'
    where {{ dq_beyond_baseline(
        'linkage.match_rate', 'baselines.baseline_rate', 'thresholds.min_share_points', below=true) }}
)

select * from field_findings
union all
select * from volume_findings
union all
select * from duplicate_findings
union all
select * from lag_findings
union all
select * from linkage_findings
