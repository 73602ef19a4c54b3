{#- The indicators of the registry's group education
    (macros/indicators/education.sql), in the long shape. -#}
{{ indicator_group_monthly('education') }}
