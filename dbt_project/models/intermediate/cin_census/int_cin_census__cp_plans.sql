{#- One row per child protection plan across returns (the latest return has its end). -#}
with

plans as (
    select * from {{ ref('stg_cin_census__cp_plans') }}
),

details as (
    select * from {{ ref('int_cin_census__details') }}
),

copies as (
    select
        md5(
            details.area_code || '|' || details.la_child_id_pseudonym || '|'
            || cast(plans.started_on as varchar)
        ) as cp_plan_id,
        plans.cp_plan_key,
        details.referral_id,
        details.area_code,
        details.la_child_id_pseudonym,
        plans.started_on,
        plans.ended_on,
        coalesce(plans.initial_category_of_abuse_code, 'not_recorded')
            as initial_category_of_abuse_code,
        plans.initial_category_of_abuse,
        plans.latest_category_of_abuse_code,
        plans.latest_category_of_abuse,
        plans.previous_cp_plans,
        details.collection_year,
        row_number() over (
            partition by details.area_code, details.la_child_id_pseudonym, plans.started_on
            order by details.collection_year desc, plans.source_line
        ) as copy_rank
    from plans
    inner join details
        on plans.cin_details_key = details.cin_details_key
    where plans.started_on is not null
),

deduplicated as (
    select
        cp_plan_id,
        cp_plan_key,
        referral_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        ended_on,
        initial_category_of_abuse_code,
        initial_category_of_abuse,
        latest_category_of_abuse_code,
        latest_category_of_abuse,
        previous_cp_plans,
        collection_year
    from copies
    where copy_rank = 1
),

final as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'started_on') }} as date) as started_month,
        cast({{ dbt.date_trunc('month', 'ended_on') }} as date) as ended_month,
        coalesce(previous_cp_plans, 0) > 0 as is_second_or_later_plan,
        {{ dbt.datediff('started_on', 'ended_on', 'day') }} as duration_days
    from deduplicated
)

select * from final
