"""Lexicon entries (model, loader) and what the store derives from them: surface forms, patterns, part database."""
