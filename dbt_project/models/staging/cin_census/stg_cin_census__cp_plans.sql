with

plans as (
    select * from {{ source('cin_census', 'cin_cp_plan') }}
),

renamed as (
    select
        cp_plan_key,
        cin_details_key,
        {{ parse_date('cpp_start_date') }} as started_on,
        {{ parse_date('cpp_end_date') }} as ended_on,
        upper(trim(initial_category_of_abuse)) as initial_category_of_abuse_code,
        upper(trim(latest_category_of_abuse)) as latest_category_of_abuse_code,
        {{ dbt.safe_cast("trim(number_of_previous_cpp)", api.Column.translate_type("integer")) }}
            as previous_cp_plans,
        _source_file as source_file,
        _record_line as source_line
    from plans
)

select * from renamed
