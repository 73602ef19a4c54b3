{#- One row per hospital spell of a child resident in the area: admission method (emergency
    or not), alcohol-related and self-harm classification (ICD-10 prefix rules of the
    icd10_conditions seed, applied in staging) and age band. -#}
with

{{ import_ctes({'admissions': 'stg_health__hospital_admissions', 'age_bands': 'age_bands'}) }},

final as (
    select
        {{ health_event_columns(
            'admissions', 'hospital_admission_id', 'spell_id', 'provider_code', 'admission_date') }},
        admissions.discharge_date,
        admissions.is_discharge_before_admission,
        case
            when not admissions.is_discharge_before_admission
                then {{ dbt.datediff('admissions.admission_date', 'admissions.discharge_date', 'day') }}
        end as length_of_stay_days,
        {{ health_age_columns('admissions', 'age_on_admission') }},
        admissions.admission_method_code,
        admissions.admission_method,
        coalesce(admissions.admission_method_group, 'not_recorded') as admission_method_group,
        coalesce(admissions.is_emergency, false) as is_emergency,
        admissions.primary_diagnosis_code,
        admissions.external_cause_code,
        admissions.is_alcohol_related,
        admissions.is_self_harm,
        admissions.copies_delivered,
        admissions.source_file,
        admissions.source_line
    from admissions
    {{ health_age_band_join('admissions', 'age_on_admission') }}
)

select * from final
