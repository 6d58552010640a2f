"""Refresh the README's pictures of the report: docs/report-summary.png and docs/report-rows.png.

    python scripts/report_screenshots.py

Runs the command of issue 17 on examples/shipments.csv (`batch ... --report`), opens the page in Debian's
Chromium (offline) and photographs the summary and the table with one row opened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SCREENER_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run([sys.executable, "-m", "screener", "batch", str(REPO / "examples" / "shipments.csv"),
                        "--text-column", "description", "--output", str(Path(tmp) / "scored.parquet"),
                        "--report", str(page), "--quiet"], check=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            tab = browser.new_context(offline=True, viewport={"width": 1280, "height": 860}).new_page()
            tab.goto(page.as_uri())
            tab.wait_for_selector("html[data-ready='1']")
            tab.screenshot(path=str(REPO / "docs" / "report-summary.png"))
            tab.click("#rows tr.row[data-id='S1'] button.toggle")
            tab.locator("#rows-section").screenshot(path=str(REPO / "docs" / "report-rows.png"))
            browser.close()
    print("wrote docs/report-summary.png, docs/report-rows.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
