{#- One row per child per collection year: OC2 outcomes are measured for each year's return,
    so rows of different years are different facts, not duplicates. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_oc2') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, _collection_period
            order by _loaded_at desc, _record_line desc
        ) as delivery_rank
    from source
),

renamed as (
    select
        _area as area_code,
        {{ integer_or_null('_collection_period') }} as collection_year,
        child as la_child_id_pseudonym,
        dob as birth_date_pseudonym,
        {{ parse_date("dob_month || '-01'") }} as birth_month,
        {{ integer_or_null('sdq_score') }} as sdq_score,
        nullif(trim(sdq_reason), '') as sdq_reason_code,
        {{ parse_yes_no('convicted') }} as is_convicted,
        {{ parse_yes_no('health_check') }} as had_health_check,
        {{ parse_yes_no('immunisations') }} as immunisations_up_to_date,
        {{ parse_yes_no('teeth_check') }} as had_teeth_check,
        {{ parse_yes_no('health_assessment') }} as had_health_assessment,
        {{ parse_yes_no('substance_misuse') }} as has_substance_misuse_problem,
        {{ parse_yes_no('intervention_received') }} as received_substance_misuse_intervention,
        {{ parse_yes_no('intervention_offered') }} as offered_substance_misuse_intervention,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where delivery_rank = 1
)

select * from renamed
