{#- One row per assessment (area, cina_assessment_id): its row in the latest extract, which
    has its authorisation once it was authorised. -#}
{{ ssd_staged('ssd_cin_assessments', 'cina_assessment_id', 'cina_person_id', 'assessment') }}
