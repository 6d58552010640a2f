"""Load lexicon YAML files, reporting every problem at once with file and entry id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from screener.errors import ScreenerError
from screener.lexicon.model import PREFIX_LANGS, SUBSTRING_LANGS, LexiconEntry
from screener.lexicon.forms import is_cyrillic, padded_forms
from screener.safe_yaml import load_yaml
from screener.text.normalize import normalize_term


OVERLAY_DIR = "i18n"  # beside a lexicon folder's entry files: one file of terms per language


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

SHOWN_PROBLEMS = 10  # problems named in the error; the count says how many there are


def _format_error(path: Path, entry_id: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        out.append(f"{path}: {entry_id}: {loc}: {err['msg']}")
    return out


def lexicon_files(*dirs: Path | str) -> list[Path]:
    """All YAML files of the given folders (or single files), in a stable order: entries first, then the
    language overlays of each folder's `i18n/` (one file per language: entry id -> terms)."""
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        files.extend(sorted(d.glob("*.yaml")) if d.is_dir() else [d])
    for d in dirs:
        if Path(d).is_dir():
            files.extend(sorted((Path(d) / OVERLAY_DIR).glob("*.yaml")))
    return files


def _read_overlay(path: Path, doc: dict, problems: list[str]) -> tuple[str, dict[str, list[str]]]:
    """(language, {entry id: terms}) of an overlay file, or ("", {}) after noting its problems."""
    lang, terms = doc.get("language"), doc.get("terms")
    if not (isinstance(lang, str) and re.fullmatch(r"[a-z]{2,3}", lang)):
        problems.append(f"{path}: 'language' must be a language code such as ko")
        return "", {}
    if not isinstance(terms, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and v and all(isinstance(t, str) and t.strip() for t in v)
            for k, v in terms.items()):
        problems.append(f"{path}: 'terms' must map entry ids to non-empty lists of terms")
        return "", {}
    unknown = sorted(set(doc) - {"language", "terms", "source", "note"})
    if unknown:
        problems.append(f"{path}: unknown key(s) {unknown}")
    return lang, terms


def _apply_overlays(entries: list[LexiconEntry], overlays: list[tuple[Path, str, dict]],
                    problems: list[str]) -> list[LexiconEntry]:
    """The entries with each overlay's terms added to their i18n; an unknown entry id is a problem."""
    added: dict[str, dict[str, list[str]]] = {}
    known = {e.id for e in entries}
    for path, lang, terms in overlays:
        for entry_id, words in terms.items():
            if entry_id not in known:
                problems.append(f"{path}: unknown entry id {entry_id!r}")
                continue
            added.setdefault(entry_id, {}).setdefault(lang, []).extend(words)
    out = []
    for entry in entries:
        extra = added.get(entry.id)
        if extra:
            i18n = {k: list(v) for k, v in entry.i18n.items()}
            for lang, words in extra.items():
                i18n[lang] = list(dict.fromkeys(i18n.get(lang, []) + words))
            entry = entry.model_copy(update={"i18n": i18n})
        out.append(entry)
    return out


def load_entries(files: list[Path]) -> list[LexiconEntry]:
    """Validate every entry of every file; raise LexiconError listing all problems."""
    problems: list[str] = []
    entries: list[LexiconEntry] = []
    seen_ids: dict[str, Path] = {}
    overlays: list[tuple[Path, str, dict]] = []
    for path in files:
        try:
            doc = load_yaml(path.read_text(encoding="utf-8"), aliases=True)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: cannot read YAML: {str(exc).splitlines()[0]}")
            continue
        if isinstance(doc, dict) and "language" in doc:
            lang, terms = _read_overlay(path, doc, problems)
            if lang:
                overlays.append((path, lang, terms))
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
    entries = _apply_overlays(entries, overlays, problems)
    problems.extend(_term_collisions(entries))
    if problems:
        shown = "; ".join(problems[:SHOWN_PROBLEMS])  # one readable line, however many there are
        more = f"; and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        raise LexiconError(f"{len(problems)} lexicon problem(s): {shown}{more}")
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
