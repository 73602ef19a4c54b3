"""The operator's commands behind `csc-intel` (synthetic/cli.py): run, status, open, check,
and the csc-intel.toml configuration they share."""
