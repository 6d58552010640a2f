"""Text normalisation (one normaliser for reference data and input) and the list of ordinary English words."""
