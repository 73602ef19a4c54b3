{{ rate_per_10000('int_indicators__s47_enquiries', 's47_enquiries_per_10000') }}
