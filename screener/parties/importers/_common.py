"""Shared checks for list files: read bytes, hash, strict UTF-8, country codes, XML parsing with clear errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import countrynames
from lxml import etree

from screener.errors import InputError


def read_bytes(path: str | Path) -> tuple[bytes, str]:
    """Return the file's bytes and sha256; a missing or empty file is an InputError."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    data = p.read_bytes()
    if not data.strip(b"\x00\x1a \r\n\t"):
        raise InputError(f"{p}: file is empty")
    return data, hashlib.sha256(data).hexdigest()


def decode_utf8(data: bytes, path: str | Path) -> str:
    """Decode strictly as UTF-8 (BOM allowed); name the encoding problem instead of guessing."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 3 and (data[1:2] == b"\x00" or data[0:1] == b"\x00")):
        raise InputError(f"{path}: file is UTF-16 encoded; expected UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
            "expected UTF-8 — was it saved as Latin-1/Windows-1252?"
        ) from None
    return text.removeprefix("\ufeff")


def parse_xml(data: bytes, path: str | Path) -> etree._Element:
    """Parse XML bytes (after the UTF-8 check) and report truncation or malformed XML in one line."""
    if not data.lstrip().startswith(b"<"):
        raise InputError(f"{path}: not an XML file")
    head = data[:200].lower()
    if b"encoding=" not in head or b"utf-8" in head:
        decode_utf8(data, path)
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        msg = str(exc).splitlines()[0]
        hint = " (file looks truncated)" if "end of data" in msg.lower() or "premature" in msg.lower() else ""
        raise InputError(f"{path}: malformed XML{hint}: {msg}") from None


def local(tag: object) -> str:
    """Tag name without its namespace."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def country_code(name: str | None) -> str | None:
    """ISO alpha-2 code for a country name or code, or None (e.g. for 'Region: Crimea')."""
    if not name or name == "-0-":
        return None
    name = name.strip()
    if len(name) == 2 and name.isalpha():
        return name.upper()
    code = countrynames.to_code(name, fuzzy=False)
    return code.upper() if code else None


def clean(value: str | None) -> str | None:
    """Strip and collapse whitespace; OFAC's null `-0-` and empty strings become None."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value if value and value != "-0-" else None
