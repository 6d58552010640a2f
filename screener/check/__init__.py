"""`screener check` as a library: the batch path plus findings, configuration, suppressions and baselines."""
