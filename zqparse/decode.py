"""Bytes to text: byte-order marks, declared charsets, detection, and a refusal for binary data.

The order of evidence is: a BOM; the charset the caller was given (an HTTP header);
a ``<meta>`` charset in the page; UTF-8; GB18030; then bs4's ``UnicodeDammit``.
GB2312, GBK and CP936 are widened to GB18030, their superset, so characters that
real pages use beyond the declared set still decode. A declared charset that fails
to decode the bytes strictly is overruled by one that succeeds, and bytes that are
valid UTF-8 beyond ASCII are read as UTF-8 whatever is declared (GBK text is never
valid UTF-8 for long). When no charset decodes strictly (a download cut inside a
character, a few stray bytes) the one with the fewest undecodable characters is
used if those are at most :data:`MAX_UNDECODABLE_RATIO` of the text. A ``<meta>``
that names UTF-16 or UTF-32 on ASCII-compatible bytes means UTF-8, as browsers read it.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .errors import BinaryInputError, EmptyInputError

__all__ = ["Decoded", "decode", "canonical_charset", "looks_like_html"]

#: charset names widened or corrected before decoding
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "ascii": "windows-1252",
    "us-ascii": "windows-1252",
}

#: magic numbers of files that are not pages
BINARY_MAGIC = (
    (b"%PDF-", "a PDF document (extract its text first)"),
    (b"PK\x03\x04", "a ZIP archive or an Office (docx/xlsx) file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office (doc/xls) file"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
)

#: at most this share of a page's characters may be undecodable in a declared or likely charset
MAX_UNDECODABLE_RATIO = 0.01

#: charsets a <meta> cannot mean (its own bytes would not be ASCII): read as UTF-8, as browsers do
META_IMPOSSIBLE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)
Candidate = Tuple[str, str]  # (codec name, evidence), tried in order
_HTML_HINT = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|meta|div|p|table|span|br|td|tr|title)\b", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text with the encoding used and the count of replaced characters."""

    text: str
    encoding: str
    undecodable: int
    #: how the encoding was chosen: bom | declared | meta | utf-8 | gb18030 | detected | fallback
    evidence: str


def canonical_charset(name: Optional[str]) -> Optional[str]:
    """A Python codec name for a declared charset, widened (gb2312 → gb18030); None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> Optional[str]:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _refuse_binary(data: bytes) -> None:
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"input is {what}, not a page")
    head = data[:8192]
    if head.count(0) > max(1, len(head) // 100):
        raise BinaryInputError("input is binary data (NUL bytes), not a page")


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup near its start."""
    return bool(_HTML_HINT.search(text[:20000]))


_GARBAGE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def _garbage_ratio(text: str) -> float:
    """The share of control and replacement characters in the text's first 20,000 characters."""
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_GARBAGE.findall(sample)) / len(sample)


def decode(data: bytes, declared: Optional[str] = None) -> Decoded:
    """Decode page bytes to text, never losing a decodable character.

    ``declared`` is a charset from outside the page (an HTTP ``Content-Type``).
    Raises :class:`EmptyInputError` for empty input and :class:`BinaryInputError`
    for data that is not text.
    """
    if not data or not data.strip():
        raise EmptyInputError("input is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            return _checked(Decoded(text, encoding, text.count("\ufffd"), "bom"))
    _refuse_binary(data)

    candidates: List[Candidate] = []
    from_outside = canonical_charset(declared)
    if from_outside:
        candidates.append((from_outside, "declared"))
    head = data[:4096]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    in_page = canonical_charset(match.group(1).decode("ascii", "ignore")) if match else None
    if in_page:
        candidates.append(("utf-8" if in_page in META_IMPOSSIBLE else in_page, "meta"))
    candidates += [("utf-8", "utf-8"), ("gb18030", "gb18030")]

    utf8 = _strict(data, "utf-8")
    if utf8 is not None and not data.isascii():
        evidence = next(e for c, e in candidates if c == "utf-8")
        return _checked(Decoded(utf8, "utf-8", 0, evidence))
    for encoding, evidence in candidates:
        strict = utf8 if encoding == "utf-8" else _strict(data, encoding)
        if strict is not None and not (encoding == "cp1252" and _mostly_high(data)):
            return _checked(Decoded(strict, encoding, 0, evidence))

    tolerated = _least_undecodable(data, candidates)
    if tolerated is not None:
        return _checked(tolerated)

    dammit = None
    if _strict(data, "cp1252") is not None:  # else UnicodeDammit could only replace (and log it)
        from bs4 import UnicodeDammit  # bs4 is heavy; only pay for it here

        dammit = UnicodeDammit(data, [c for c, _ in candidates], is_html=True)
    if dammit is not None and dammit.unicode_markup is not None and dammit.original_encoding:
        text = dammit.unicode_markup
        return _checked(Decoded(text, dammit.original_encoding, text.count("\ufffd"), "detected"))

    # fall back on the first declared charset (else UTF-8) with replacement characters
    encoding = candidates[0][0]
    text = data.decode(encoding, errors="replace")
    return _checked(Decoded(text, encoding, text.count("\ufffd"), "fallback"))


def _least_undecodable(data: bytes, candidates: List[Candidate]) -> Optional[Decoded]:
    """The candidate decoding with the fewest replaced characters, if few enough (else None)."""
    best: Optional[Decoded] = None
    seen = set()
    for encoding, evidence in sorted(candidates, key=lambda c: c[0] != "utf-8"):
        if encoding in seen or encoding in META_IMPOSSIBLE or (encoding == "cp1252" and _mostly_high(data)):
            continue
        seen.add(encoding)
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            continue
        bad = text.count("\ufffd")
        if best is None or bad < best.undecodable:
            best = Decoded(text, encoding, bad, evidence)
    if best is not None and best.undecodable <= MAX_UNDECODABLE_RATIO * len(best.text):
        return best
    return None


def _mostly_high(data: bytes) -> bool:
    """Bytes a latin-1 declaration cannot be right about: mostly non-ASCII."""
    sample = data[:8192]
    return sum(1 for b in sample if b >= 0x80) > len(sample) // 10


def _checked(decoded: Decoded) -> Decoded:
    if _garbage_ratio(decoded.text) > 0.3:
        raise BinaryInputError(
            f"input does not decode as text ({decoded.encoding}: mostly control or undecodable characters)")
    if not decoded.text.strip():
        raise EmptyInputError("input holds no text")
    return decoded
