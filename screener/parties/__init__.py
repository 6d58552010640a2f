"""Sanctioned parties: list importers into the DuckDB store and explained name matching.

Importers (`screener.parties.importers.IMPORTERS`) turn an official list file into `party_*` tables in one
transaction; `PartyMatcher` (`screener.parties.match`) finds listed names in columns and free text and says why.
"""
