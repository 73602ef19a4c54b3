with

{{ import_ctes({
    'plans': source('cin_census', 'cin_cp_plan'),
    'categories': 'cin_categories_of_abuse',
}) }},

renamed as (
    select
        plans.cp_plan_key,
        plans.cin_details_key,
        {{ parse_date('plans.cpp_start_date') }} as started_on,
        {{ parse_date('plans.cpp_end_date') }} as ended_on,
        nullif(upper(trim(plans.initial_category_of_abuse)), '') as initial_category_of_abuse_code,
        initial_categories.label as initial_category_of_abuse,
        nullif(upper(trim(plans.latest_category_of_abuse)), '') as latest_category_of_abuse_code,
        latest_categories.label as latest_category_of_abuse,
        {{ integer_or_null('plans.number_of_previous_cpp') }} as previous_cp_plans,
        {{ lineage_columns('plans') }}
    from plans
    left join categories as initial_categories
        on upper(trim(plans.initial_category_of_abuse)) = initial_categories.code
    left join categories as latest_categories
        on upper(trim(plans.latest_category_of_abuse)) = latest_categories.code
)

select * from renamed
