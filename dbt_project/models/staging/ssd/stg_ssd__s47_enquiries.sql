{#- One row per section 47 enquiry (area, s47e_s47_enquiry_id): its row in the latest
    extract, which has its end once it was completed. -#}
{{ ssd_staged('ssd_s47_enquiry', 's47e_s47_enquiry_id', 's47e_person_id', 's47_enquiry') }}
