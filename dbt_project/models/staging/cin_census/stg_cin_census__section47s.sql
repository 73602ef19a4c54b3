select
    section47_key,
    cin_details_key,
    {{ parse_date('s47_actual_start_date') }} as started_on,
    {{ parse_date('initial_cpc_target') }} as icpc_target_on,
    {{ parse_date('date_of_initial_cpc') }} as icpc_on,
    {{ parse_yes_no('icpc_not_required') }} as is_icpc_not_required,
    {{ lineage_columns() }}
from {{ source('cin_census', 'cin_section47') }}
