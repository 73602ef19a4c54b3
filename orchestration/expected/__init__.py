"""Expected values for every indicator series: a count model fitted on the months outside
every period of interest, its prediction interval, the simpler same-months rule where a
model cannot be fitted, the flag of each month and a rolling-origin backtest. The dbt Python
models `fct_indicator_expected` and `rpt_method_backtest` call it."""
