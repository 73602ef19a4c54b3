{#- One row per person (area, pers_person_id): the person's row in the latest extract. -#}
{% call ssd_staged('ssd_person', 'pers_person_id', 'pers_person_id',
    code_lists={'ethnicities': 'ethnicities'},
    joins='left join ethnicities on trim(latest.pers_ethnicity) = ethnicities.code') -%}
        nullif(upper(trim(latest.pers_sex)), '') as sex_code,
        case when upper(trim(latest.pers_sex)) in ('M', 'F', 'U') then upper(trim(latest.pers_sex)) end
            as sex,
        nullif(trim(latest.pers_gender), '') as gender_code,
        {{ decoded_code_columns('latest.pers_ethnicity', 'ethnicities', 'ethnicity',
            also=['ethnicities.major_group as ethnicity_major_group']) }},
        latest.pers_dob as birth_date_pseudonym,
        {{ parse_month('latest.pers_dob_month') }} as birth_month,
        latest.pers_expected_dob as expected_birth_date_pseudonym,
        {{ parse_month('latest.pers_expected_dob_month') }} as expected_birth_month,
        latest.pers_common_child_id as nhs_number_pseudonym,
        latest.pers_legacy_id as legacy_id_pseudonym,
        nullif(upper(trim(latest.pers_upn_unknown)), '') as upn_unknown_code,
        {{ parse_yes_no('latest.pers_send_flag') }} as has_ehc_plan,
        {{ ssd_date('latest.pers_death_date') }} as death_date,
        {{ parse_yes_no('latest.pers_is_mother') }} as is_mother,
        nullif(trim(latest.pers_nationality), '') as nationality,
{%- endcall %}
