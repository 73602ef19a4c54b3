{#- One row per child protection plan across returns (the latest return has its end); the
    SSD's in the months it feeds (fed_records). -#}
with

{{ import_ctes({
    'plans': 'stg_cin_census__cp_plans',
    'details': 'int_cin_census__details',
    'from_ssd': 'int_ssd__cp_plans',
}) }},

returned as (
    {{ cin_census_event_across_returns(
        'plans', 'cp_plan_id', 'cp_plan_key',
        ['started_on', 'ended_on', 'initial_category_of_abuse_code', 'initial_category_of_abuse',
            'latest_category_of_abuse_code', 'latest_category_of_abuse', 'previous_cp_plans'],
        expressions={'initial_category_of_abuse_code':
            "coalesce(plans.initial_category_of_abuse_code, 'not_recorded')"}) }}
),

fed as (
    {{ fed_records('returned', 'from_ssd', 'cp_plan_id', 'started_on',
        ['cp_plan_id', 'cp_plan_key', 'referral_id', 'area_code', 'la_child_id_pseudonym',
            'started_on', 'ended_on', 'initial_category_of_abuse_code',
            'initial_category_of_abuse', 'latest_category_of_abuse_code',
            'latest_category_of_abuse', 'previous_cp_plans', 'collection_year'],
        carried={'ended_on': 'ended_on'}) }}
),

final as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'started_on') }} as date) as started_month,
        cast({{ dbt.date_trunc('month', 'ended_on') }} as date) as ended_month,
        coalesce(previous_cp_plans, 0) > 0 as is_second_or_later_plan,
        {{ dbt.datediff('started_on', 'ended_on', 'day') }} as duration_days
    from fed
)

select * from final
