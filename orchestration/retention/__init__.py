"""Retention: how long children's records stay in the warehouse (policy.yaml), applied to the
raw tables by the asset raw/retention_audit before each dbt build."""
