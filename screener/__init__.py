"""screener: screen trade text for export-control and sanctions risk, and say why (API: screener.api)."""

__version__ = "0.1.0"
