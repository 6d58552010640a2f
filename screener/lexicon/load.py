"""Load lexicon YAML files, reporting every problem at once with file and entry id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from screener.errors import ScreenerError
from screener.lexicon.model import PREFIX_LANGS, SUBSTRING_LANGS, LexiconEntry
from screener.lexicon.forms import is_cyrillic, padded_forms
from screener.safe_yaml import load_yaml
from screener.text.normalize import normalize_term


class LexiconError(ScreenerError):
    """One or more lexicon files do not validate."""


@dataclass(frozen=True, slots=True)
class Term:
    """A normalised term of an entry, with how it must be matched."""

    entry_id: str
    text: str          # as written
    norm: str          # normalised
    strength: str      # strong | weak
    lang: str          # en, or the i18n language


def _format_error(path: Path, entry_id: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        out.append(f"{path}: {entry_id}: {loc}: {err['msg']}")
    return out


def lexicon_files(*dirs: Path | str) -> list[Path]:
    """All YAML files of the given folders (or single files), in a stable order."""
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        files.extend(sorted(d.glob("*.yaml")) if d.is_dir() else [d])
    return files


def load_entries(files: list[Path]) -> list[LexiconEntry]:
    """Validate every entry of every file; raise LexiconError listing all problems."""
    problems: list[str] = []
    entries: list[LexiconEntry] = []
    seen_ids: dict[str, Path] = {}
    for path in files:
        try:
            doc = load_yaml(path.read_text(encoding="utf-8"), aliases=True)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: cannot read YAML: {str(exc).splitlines()[0]}")
            continue
        raw = (doc or {}).get("entries") if isinstance(doc, dict) else None
        if not isinstance(raw, list):
            problems.append(f"{path}: expected a mapping with an 'entries' list")
            continue
        for i, item in enumerate(raw):
            entry_id = item.get("id", f"#{i}") if isinstance(item, dict) else f"#{i}"
            try:
                entry = LexiconEntry.model_validate(item)
            except ValidationError as exc:
                problems.extend(_format_error(path, str(entry_id), exc))
                continue
            if entry.id in seen_ids:
                problems.append(f"{path}: {entry.id}: duplicate id (also in {seen_ids[entry.id]})")
                continue
            seen_ids[entry.id] = path
            entries.append(entry)
    problems.extend(_term_collisions(entries))
    if problems:
        raise LexiconError(f"{len(problems)} lexicon problem(s): " + "; ".join(problems))
    return entries


def entry_terms(entry: LexiconEntry) -> list[Term]:
    """The entry's terms, normalised, English first."""
    terms = [Term(entry.id, t, normalize_term(t), "strong", "en") for t in entry.strong]
    terms += [Term(entry.id, t, normalize_term(t), "weak", "en") for t in entry.weak]
    for lang, words in sorted(entry.i18n.items()):
        terms += [Term(entry.id, t, normalize_term(t), "strong", lang) for t in words]
    return [t for t in terms if t.norm]


def _term_collisions(entries: list[LexiconEntry]) -> list[str]:
    owner: dict[str, str] = {}
    problems = []
    for entry in entries:
        for term in entry_terms(entry):
            key = term.norm
            if term.lang in SUBSTRING_LANGS:
                key = "zh:" + key
            elif term.lang in PREFIX_LANGS and is_cyrillic(key.split(" ")[-1]):
                # declined: "шаров кран" and "шаровой кран" share the pattern " шаровой кран", and one
                # entry would win it by name alone
                shared = {owner.setdefault(p, entry.id) for p, _ in padded_forms(key, term.lang)} - {entry.id}
                if shared:
                    problems.append(f"term {term.text!r} of {entry.id} shares a case form with a term of "
                                    f"{sorted(shared)[0]}")
                continue
            other = owner.setdefault(key, entry.id)
            if other != entry.id:
                problems.append(f"term {term.text!r} of {entry.id} is also a term of {other}")
    return problems
