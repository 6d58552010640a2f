"""Where the bundled reference data and rules live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def reference_dir() -> Path:
    """The reference_data folder (SCREENER_REFERENCE_DIR overrides the bundled one)."""
    return Path(os.environ.get("SCREENER_REFERENCE_DIR") or ROOT / "reference_data")


def rules_dir() -> Path:
    """The bundled rules folder."""
    return ROOT / "rules"
