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
        {{ abuse_category_columns(
            'plans.initial_category_of_abuse', 'plans.latest_category_of_abuse') }},
        {{ integer_or_null('plans.number_of_previous_cpp') }} as previous_cp_plans,
        {{ lineage_columns('plans') }}
    from plans
    {{ abuse_category_joins(
        'plans.initial_category_of_abuse', 'plans.latest_category_of_abuse') }}
)

select * from renamed
