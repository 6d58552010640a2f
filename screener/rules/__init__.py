"""Rules as data: their model, the named predicates they are built from, loading and configuration."""
