{#- What the data-quality layer watches, one entry per delivered table: where its rows are
    (a source or a model, by name: resolved only where rows are read),
    the month a row belongs to (its event), how it is keyed and recorded, and per field what
    "missing" looks like, its code list (seed, via quality.dq_code_lists), for end dates the
    start date they must not precede, and per check the DfE validation rule it implements
    (data/reference/validation_rules). Labels and nouns make the caveats readable. A table
    whose row stands for more than its month says for how many months ('months_spanned': an
    SSDA903 header row is the child's record for the whole return year). SSD contacts have
    no key here: an extract restates the contacts of the earlier ones, which is no duplicate. -#}
{% macro dq_catalogue() %}
{{ return([
    {'source': 'cin_census', 'table_name': 'cin_details', 'noun': 'referrals',
     'from_source': ['cin_census', 'cin_details'],
     'month': parse_date('cin_referral_date'),
     'fields': [
        {'field': 'ReferralSource', 'column': 'referral_source', 'label': 'referral source',
         'missing_codes': ['10'], 'code_list': 'cin_referral_sources'},
        {'field': 'PrimaryNeedCode', 'column': 'primary_need_code', 'label': 'primary need',
         'code_list': 'cin_primary_needs', 'rules': {'completeness': '8610', 'validity': '8650'}},
        {'field': 'CINclosureDate', 'column': 'cin_closure_date', 'label': 'closure date',
         'start_column': 'cin_referral_date', 'start_label': 'the referral date',
         'optional': true, 'rules': {'date_order': '8630'}},
     ]},
    {'source': 'cin_census', 'table_name': 'cin_child', 'noun': 'children',
     'from_ref': 'dq_cin_children',
     'month': 'latest_referral_date',
     'fields': [
        {'field': 'Ethnicity', 'column': 'ethnicity', 'label': 'ethnicity',
         'missing_codes': ['NOBT', 'REFU'], 'code_list': 'ethnicities',
         'rules': {'completeness': '4220', 'validity': '4220'}},
        {'field': 'UPN', 'column': 'upn', 'label': 'UPN', 'rules': {'completeness': '8770Q'}},
     ]},
    {'source': 'ssd', 'table_name': 'ssd_contacts', 'noun': 'contacts',
     'from_source': ['ssd', 'ssd_contacts'],
     'month': ssd_date('cont_contact_date'),
     'fields': [
        {'field': 'cont_contact_source_code', 'column': 'cont_contact_source_code',
         'label': 'contact source', 'missing_codes': ['10'], 'code_list': 'cin_referral_sources'},
        {'field': 'cont_contact_outcome_json', 'column': 'cont_contact_outcome_json',
         'label': 'contact outcome'},
     ]},
    {'source': 'ssda903', 'table_name': 'header', 'noun': 'children looked after',
     'from_source': ['ssda903', 'ssda903_header'],
     'month': "make_date(cast(_collection_period as integer) - 1, 4, 1)",
     'months_spanned': 12,
     'fields': [
        {'field': 'ETHNIC', 'column': 'ethnic', 'label': 'ethnicity', 'code_list': 'ethnicities',
         'rules': {'completeness': '103', 'validity': '103'}},
        {'field': 'SEX', 'column': 'sex', 'label': 'sex', 'rules': {'completeness': '101'}},
     ]},
    {'source': 'ssda903', 'table_name': 'episodes', 'noun': 'episodes',
     'from_source': ['ssda903', 'ssda903_episodes'],
     'month': parse_date('decom'),
     'fields': [
        {'field': 'CIN', 'column': 'cin', 'label': 'category of need',
         'rules': {'completeness': '145'}},
        {'field': 'PLACE', 'column': 'place', 'label': 'placement type',
         'code_list': 'ssda903_placement_types', 'rules': {'completeness': '146', 'validity': '146'}},
        {'field': 'LS', 'column': 'ls', 'label': 'legal status',
         'code_list': 'ssda903_legal_statuses', 'rules': {'completeness': '144', 'validity': '144'}},
        {'field': 'DEC', 'column': 'dec', 'label': 'episode end date', 'optional': true,
         'start_column': 'decom', 'start_label': 'the episode start', 'rules': {'date_order': '356'}},
     ]},
    {'source': 'ae_attendances', 'table_name': 'ae_attendances', 'noun': 'attendances',
     'from_source': ['health', 'ae_attendances'],
     'month': parse_date('arrival_date'), 'key': 'attendance_id', 'recorded_at': 'recorded_at',
     'fields': [
        {'field': 'NHS_NUMBER', 'column': 'nhs_number', 'label': 'NHS number'},
        {'field': 'CHIEF_COMPLAINT', 'column': 'chief_complaint', 'label': 'chief complaint',
         'code_list': 'ae_chief_complaints'},
        {'field': 'SEX', 'column': 'sex', 'label': 'sex'},
     ]},
    {'source': 'hospital_admissions', 'table_name': 'hospital_admissions', 'noun': 'admissions',
     'from_source': ['health', 'hospital_admissions'],
     'month': parse_date('admission_date'), 'key': 'spell_id', 'recorded_at': 'recorded_at',
     'fields': [
        {'field': 'NHS_NUMBER', 'column': 'nhs_number', 'label': 'NHS number'},
        {'field': 'ADMISSION_METHOD', 'column': 'admission_method', 'label': 'admission method',
         'code_list': 'admission_methods'},
        {'field': 'DISCHARGE_DATE', 'column': 'discharge_date', 'label': 'discharge date',
         'optional': true, 'start_column': 'admission_date', 'start_label': 'the admission'},
     ]},
    {'source': 'camhs_referrals', 'table_name': 'camhs_referrals', 'noun': 'referrals',
     'from_source': ['health', 'camhs_referrals'],
     'month': parse_date('referral_date'), 'key': 'referral_id', 'recorded_at': 'recorded_at',
     'fields': [
        {'field': 'NHS_NUMBER', 'column': 'nhs_number', 'label': 'NHS number'},
        {'field': 'SOURCE_OF_REFERRAL', 'column': 'source_of_referral',
         'label': 'source of referral'},
     ]},
    {'source': 'police_incidents', 'table_name': 'police_incidents', 'noun': 'incidents',
     'from_source': ['police', 'police_incidents'],
     'month': parse_date('incident_date'), 'key': 'incident_ref', 'recorded_at': 'recorded_at',
     'fields': [
        {'field': 'INCIDENT_TYPE', 'column': 'incident_type', 'label': 'incident type',
         'code_list': 'police_incident_types'},
     ]},
    {'source': 'school_census', 'table_name': 'school_census', 'noun': 'pupils',
     'from_source': ['education', 'school_census'],
     'month': parse_date('term_start_date'),
     'fields': [
        {'field': 'UPN', 'column': 'upn', 'label': 'UPN'},
        {'field': 'SEX', 'column': 'sex', 'label': 'sex'},
     ]},
]) }}
{% endmacro %}

{#- Which figures a finding of each check can affect: 'field', only the figures that read the
    finding's field (seed indicators, fields_used); 'linkage', only those that read the person
    linkage of the source's records (fields_used 'linkage'); 'source', every figure of the
    source (an extract gap, a duplicated delivery, a recording lag). -#}
{% macro dq_check_scopes() %}
{{ return({
    'field': ['completeness', 'validity', 'date_order'],
    'linkage': ['linkage'],
    'source': ['volume', 'duplicates', 'timeliness'],
}) }}
{% endmacro %}
