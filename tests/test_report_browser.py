"""The report page in a real browser: Playwright driving Debian's Chromium, offline, every request refused.

The page comes from the command of issue 17 (`batch examples/shipments.csv ... --output scored.parquet
--report report.html`). Without Chromium (or Playwright) these tests skip and say why; `.ci/run` installs
Chromium where it can. A screenshot of the page is written to test-artefacts/ (or $SCREENER_ARTEFACTS).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "shipments.csv"
CHROMIUM = os.environ.get("SCREENER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
ARTEFACTS = Path(os.environ.get("SCREENER_ARTEFACTS") or REPO / "test-artefacts")


try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips and says why
    expect = None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        pytest.skip(f"playwright is not installed ({exc})")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SCREENER_CHROMIUM)")
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Error as exc:
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The issue's command, and the same output reported with every row in the table."""
    folder = tmp_path_factory.mktemp("report")
    scored, page = folder / "scored.parquet", folder / "report.html"
    result = CliRunner().invoke(cli, ["batch", str(EXAMPLES), "--text-column", "description", "--output", str(scored),
                                      "--report", str(page)])
    assert result.exit_code == 0, result.output
    every = folder / "every.html"
    result = CliRunner().invoke(cli, ["report", str(scored), "--output", str(every), "--min-band", "none"])
    assert result.exit_code == 0, result.output
    return {"scored": pl.read_parquet(scored), "page": page, "every": every}


class Visit:
    """A page opened from its file URL with the network off: console errors and refused requests recorded."""

    def __init__(self, browser, path: Path):
        self.errors, self.requests = [], []
        self.context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)
        self.tab = self.context.new_page()
        self.tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.goto(path.as_uri())
        self.tab.wait_for_selector("html[data-ready='1']", timeout=30_000)

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def visible_ids(self) -> list[str]:
        return self.tab.eval_on_selector_all("#rows tbody tr.row", "rows => rows.map(r => r.dataset.id)")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_(path):
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


def test_the_page_opens_offline_without_errors_or_requests(made, visit):
    v = visit(made["page"])
    v.tab.wait_for_selector("html[data-charts='done']", timeout=30_000)  # the charts below the first screen too
    assert v.errors == [] and v.requests == []
    charts = v.tab.eval_on_selector_all(".chart", "n => n.map(c => c.querySelector('.main-svg') !== null)")
    assert len(charts) >= 6 and all(charts)  # plotly drew every chart
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "report.png"
    v.tab.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_band_counts_on_the_page_are_those_of_the_data(made, visit):
    v = visit(made["page"])
    shown = dict(v.tab.eval_on_selector_all(
        "#bands tr[data-band]",
        "rows => rows.map(r => [r.dataset.band, Number(r.querySelector('.count').dataset.count)])"))
    data = made["scored"]
    expected = dict(data.filter(pl.col("band").is_not_null()).group_by("band").len().iter_rows())
    assert {b: n for b, n in shown.items() if b != "error"} == {b: expected.get(b, 0) for b in shown if b != "error"}
    assert shown["error"] == data.filter(pl.col("error") != "").height
    assert sum(shown.values()) == data.height


def test_filtering_by_a_band_shows_exactly_its_rows(made, visit):
    data = made["scored"]
    v = visit(made["every"])
    assert sorted(v.visible_ids()) == sorted(data["id"].to_list())
    for band in data["band"].unique().to_list():
        v.tab.select_option("#f-band", band)
        assert sorted(v.visible_ids()) == sorted(data.filter(pl.col("band") == band)["id"].to_list()), band
    v.tab.select_option("#f-band", "")
    v.tab.fill("#f-text", "bearings")
    expect(v.tab.locator("#rows tbody tr.row")).to_have_count(1)  # (after the search box's short debounce)
    assert v.visible_ids() == ["S3"]


def test_the_default_page_lists_the_rows_at_or_above_medium(made, visit):
    data = made["scored"]
    v = visit(made["page"])
    wanted = data.filter(pl.col("band").is_in(["medium", "high", "critical"])).sort("score", descending=True)
    assert v.visible_ids() == wanted["id"].to_list()


MARKS = """p => { let at = 0; const out = [];
  p.childNodes.forEach(n => { const len = n.textContent.length;
    if (n.nodeName === 'MARK') { out.push([at, at + len, n.className]); } at += len; });
  return out; }"""


def _covered(marks, kind, start, end) -> bool:
    """Every character of [start, end) lies in a mark of `kind`."""
    return all(any(a <= i < b and f"k-{kind}" in cls.split() for a, b, cls in marks) for i in range(start, end))


def test_opening_a_row_shows_its_highlighted_spans(made, visit, screener):
    from screener.screen import screen_text

    v = visit(made["page"])
    texts = dict(zip(made["scored"]["id"], made["scored"]["description"]))
    for row_id in ("S1", "S3", "S4"):
        v.tab.click(f"#rows tr.row[data-id='{row_id}'] button.toggle")
        detail = v.tab.locator(f"#rows tr.row[data-id='{row_id}'] + tr.detail")
        assert detail.is_visible()
        paragraph = detail.locator(".evidence-text")
        assert paragraph.inner_text() == texts[row_id]
        marks = paragraph.evaluate(MARKS)
        result = screen_text(screener, texts[row_id])
        spans = [("goods", g["start"], g["end"]) for g in result["goods"]] + \
                [("place", c["start"], c["end"]) for c in result["countries"]] + \
                [("code", e["start"], e["end"]) for c in result["hs_codes"] for e in c["evidence"]
                 if "entry_id" not in e]
        assert spans and all(_covered(marks, *span) for span in spans), (row_id, spans, marks)
        assert detail.locator("h4", has_text="Rules that fired").count() == 1
        assert detail.locator("td", has_text=result["rules"][0]["id"]).count() >= 1
    assert v.errors == []


def test_keyboard_opens_rows_and_sorts(made, visit):
    v = visit(made["page"])
    first = v.tab.locator("#rows tbody tr.row").first.locator("button.toggle")
    first.focus()
    v.tab.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "true"
    assert v.tab.locator("#rows tbody tr.detail").count() == 1
    v.tab.keyboard.press("Space")
    assert v.tab.locator("#rows tbody tr.detail").count() == 0
    score = v.tab.locator("#rows-head button", has_text="Score")
    score.focus()
    v.tab.keyboard.press("Enter")  # the table starts highest first: once more, lowest first
    scores = v.tab.eval_on_selector_all("#rows tbody tr.row td.num:nth-of-type(4)",
                                        "c => c.map(x => Number(x.textContent))")
    assert scores == sorted(scores)
    assert v.tab.get_attribute("#rows-head th[data-key='score']", "aria-sort") == "ascending"


def test_printed_page_hides_the_controls_and_keeps_opened_evidence(made, visit):
    v = visit(made["page"])
    v.tab.click("#rows tbody tr.row button.toggle")
    v.tab.emulate_media(media="print")
    assert not v.tab.is_visible("#filters")
    assert v.tab.is_visible("#rows tbody tr.detail .evidence-text")
    assert v.tab.pdf()[:4] == b"%PDF"
