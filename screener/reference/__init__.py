"""The reference store: built from reference_data/ into DuckDB, read back as one Reference."""
