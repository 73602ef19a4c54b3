with

plans as (
    select * from {{ ref('int_cin_census__cp_plans') }}
),

final as (
    select
        cp_plan_id,
        referral_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        started_month,
        ended_on,
        ended_month,
        initial_category_of_abuse_code,
        initial_category_of_abuse,
        latest_category_of_abuse_code,
        latest_category_of_abuse,
        previous_cp_plans,
        is_second_or_later_plan,
        duration_days,
        record_source,
        collection_year
    from plans
)

select * from final
