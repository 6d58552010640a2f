"""The article the project started from: high or critical, its goods found with spans, codes and lists."""

import json

from click.testing import CliRunner

from screener.cli import cli


def test_blinken_article(shared_dir):
    path = shared_dir / "examples" / "blinken-beijing-dual-use.txt"
    result = CliRunner().invoke(cli, ["screen", "--file", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = path.read_text(encoding="utf-8")
    assert data["band"] in ("high", "critical")
    found = {g["text"].lower(): g for g in data["goods"] if not g["negated"]}
    for word, prefixes in (("machine tools", ("845", "846")), ("microelectronics", ("8542",)),
                           ("nitrocellulose", ("391220",))):
        g = found[word]
        assert text[g["start"]:g["end"]].lower() == word
        assert any(h.startswith(prefixes) for h in g["hs"]), (word, g["hs"])
    codes = {c["code"]: c for c in data["hs_codes"]}
    assert "391220" in codes and any(c["list"] == "CHPL" for code in codes.values() for c in code["controls"])
    assert data["rules"] and all(r["evidence"] for r in data["rules"])
