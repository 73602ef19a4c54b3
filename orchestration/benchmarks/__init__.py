"""Benchmarks like LAIT's: the authority against England, its region, its statistical
neighbours and every English authority (quartiles and a funnel plot), from DfE's published
figures (seed la_annual_volumes) and the annual figures computed from our records."""
