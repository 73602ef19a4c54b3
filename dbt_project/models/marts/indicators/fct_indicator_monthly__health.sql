{#- The indicators of the registry's group health
    (macros/indicators/health.sql), in the long shape. -#}
{{ indicator_group_monthly('health') }}
