"""Text normalisation shared by every stage: NFKC, whitespace, spaces inside CJK runs.

``Report.text`` is built from strings passed through :func:`normalize`, so every
later stage matches half-width punctuation only: ``（一）`` arrives as ``(一)``,
``：`` as ``:``, full-width digits as ASCII digits. Circled numbers (①…⑳) are kept,
since they mark level-5 headings. Spaces between Chinese characters go, Extension A and
beyond included (``㮾 梨`` → ``㮾梨``): :data:`HAN` is the package's one class of them.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Dict

import regex

__all__ = ["normalize", "CJK", "HAN"]

#: a Chinese character, for patterns of the ``regex`` module: the Unicode script Han, which
#: holds CJK Extension A and beyond (㮾 U+3BBE, 𠀾 U+2003E) that ``[\u4e00-\u9fff]`` misses.
#: The one definition of "Chinese character" in the package; every class of them is built on it.
HAN = r"\p{Han}"
#: Chinese characters, CJK punctuation and ①…⑳ (after NFKC), as the body of a ``regex`` class
CJK = rf"\u2460-\u2473\u3001-\u303f{HAN}“”‘’《》〈〉【】"

_KEEP = re.compile(r"[\u2460-\u2473]+")  # ①…⑳: NFKC would turn them into digits
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# a space with CJK on one side and CJK, a digit or punctuation on the other
_CJK_GAP = regex.compile(
    rf"(?<=[{CJK}])\s+(?=[{CJK}0-9(),.:;%])|(?<=[0-9(),.:;%])\s+(?=[{CJK}])"
)
#: characters that NFKC leaves alone in any context: ASCII, CJK ideographs, 、。〈〉《》「」『』【】, ‘’“”, ①…⑳
#: (a list for speed, not a class of Chinese characters: Han holds compatibility ideographs and
#: radicals that NFKC changes; a character left out is only normalised, to the same result)
_STABLE = "\x00-\x7f\u3001\u3002\u3008-\u3011\u4e00-\u9fff\u2018-\u201d\u2460-\u2473"
_UNSTABLE_RUN = re.compile(f"[^{_STABLE}]+")
#: whitespace or an invisible character: a line without any is already clean
_ODD = re.compile(r"[\s\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RUN_NFKC: Dict[str, str] = {}  # NFKC of each run of unstable characters seen (full-width punctuation, mostly)


def _run_nfkc(match: "re.Match[str]") -> str:
    run = match.group()
    value = _RUN_NFKC.get(run)
    if value is None:
        value = unicodedata.normalize("NFKC", run)
        if len(_RUN_NFKC) < 10_000:
            _RUN_NFKC[run] = value
    return value


def _nfkc_keep(text: str) -> str:
    """NFKC of ``text`` with ①…⑳ kept."""
    if not _KEEP.search(text):
        return unicodedata.normalize("NFKC", text)
    parts = []
    last = 0
    for match in _KEEP.finditer(text):
        parts.append(unicodedata.normalize("NFKC", text[last:match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(unicodedata.normalize("NFKC", text[last:]))
    return "".join(parts)


def _nfkc(text: str) -> str:
    """NFKC of ``text`` with ①…⑳ kept; only the runs of characters NFKC can change are normalised."""
    # NFKC(s) == NFKC(s with some runs replaced by their NFKC); if that is already
    # normal it is the answer, else (a combining mark after a stable letter, ①) do it all
    out = _UNSTABLE_RUN.sub(_run_nfkc, text)
    if unicodedata.is_normalized("NFKC", out):
        return out
    return _nfkc_keep(text)


def normalize(text: str) -> str:
    """One line of clean text: NFKC, no invisible characters, single spaces, none inside CJK runs."""
    if text.isascii():  # NFKC leaves ASCII alone, and there is no CJK to close up
        if text.isprintable() and "  " not in text:  # no control character, no run of spaces
            return text.strip()
        return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()
    text = _nfkc(text).strip()
    if not _ODD.search(text):  # the usual CJK line: nothing more to clean
        return text
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return _CJK_GAP.sub("", text) if " " in text else text
