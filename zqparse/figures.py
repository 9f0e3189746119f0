"""Figures: every quantity in the running text, with unit, subject and provenance.

A figure is a number with a counter or unit after it (1740条, 7700余条, 1万元,
71.3%, 两次, 六部分) in a paragraph of running text. Table cells are not
figures, nor are the pipe-rendered table lines of text input. Dates, years,
document numbers, phone numbers, postcodes, addresses, ordinals, set phrases
and numbers in titles or short quoted names are not figures either; those rules
are data in :mod:`zqparse.units` (``NOT_FIGURE_RULES``, ``SET_PHRASES``), and so are
the words that hold a numeral (``NUMERAL_WORDS``: 统一项目 is no 1 项).

``Figure.section`` is the path of numbers of the sections the figure stands in
(:class:`zqparse.sections.SectionIndex`): ``"二"``, ``"三.(一)"``, ``"一.(二).1.(3)"``.
``Figure.subject`` is what the figure counts (:mod:`zqparse.subjects`); with
``subjects=False`` none is looked for, and jieba is not loaded.

Stages after this one read the figures: :mod:`zqparse.totals` checks stated totals
against their parts, :mod:`zqparse.metrics` maps figures to metric keys.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, Iterator, List, Optional, Sequence, Tuple, Union

import regex

from .model import Block, Figure, Page, Section
from .numerals import Numeral, numeral_of, scan_tokens, to_number, token_span
from .sections import SectionIndex
from .script import fold_page
from .subjects import figure_subject
from .units import (ARTICLE_BEFORE, CLAUSE_END, DURATION_AFTER, DURATION_BEFORE, DURATION_UNITS, NOT_BEFORE,
                    NOT_FIGURE_LEADS, NOT_FIGURE_RULES, NOT_FIGURE_UNITS, NUMERAL_WORDS, PLACE_NAME_MAX, PLACE_WORDS,
                    SET_PHRASES, UNITS)

__all__ = ["find_figures", "is_running_text", "clause_start", "not_figure_spans"]

_SET_PHRASE = re.compile("|".join(re.escape(p) for p in sorted(SET_PHRASES, key=len, reverse=True)))
_UNITS_BY_FIRST: dict[str, Tuple[str, ...]] = {}
for _unit in sorted(UNITS, key=len, reverse=True):
    _UNITS_BY_FIRST[_unit[0]] = _UNITS_BY_FIRST.get(_unit[0], ()) + (_unit,)

#: the not-figure rules as one pattern: at a position the first rule that matches wins
_NOT_FIGURE = regex.compile("|".join(f"(?:{rule.pattern})" for rule in NOT_FIGURE_RULES))
#: where a not-figure match may begin: a lead character, …
_NOT_FIGURE_LEAD = re.compile(f"[{NOT_FIGURE_LEADS}]")
#: … or one of the PLACE_NAME_MAX characters before a place word and a house number
_PLACE_WORD = re.compile(rf"(?:{'|'.join(PLACE_WORDS)})\s?\d")
#: enumeration and heading numerals: 一、 (一) 1、 1. (1) at a paragraph start or after punctuation
_ENUMERATION = re.compile(r"[(][0-9一二三四五六七八九十]{1,3}[)]"
                          r"|(?:^|(?<=[。;:,、\s]))(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?[、.](?![0-9])", re.M)
#: the characters an enumeration numeral starts with
_ENUMERATION_LEAD = re.compile(r"[(0-9一二三四五六七八九十]")
_CLAUSE_END = frozenset(CLAUSE_END)
_LETTER_OR_DIGIT = re.compile(r"[A-Za-z0-9.]")

_LOOKBACK = 40  # characters of clause read before a number (bounded: linear cost)

_Match = Union["re.Match[str]", "regex.Match[str]"]


# --------------------------------------------------------------------------- what is no figure

def _lead_spans(match: Callable[[str, int, int], Optional[_Match]], lead: "re.Pattern[str]", text: str,
                start: int, end: int, anchor: Optional["re.Pattern[str]"] = None, reach: int = 0,
                ) -> Iterator[Tuple[int, int]]:
    """The spans of the non-empty matches of a pattern in text[start:end], as its ``finditer`` gives
    them, from ``match`` (the pattern's match method) tried only where a match can begin: at a
    character of ``lead``, or in the ``reach`` characters before a match of ``anchor``.

    Python's ``re`` tries an alternation of patterns at every position; most positions of
    a Chinese text hold no lead character and are skipped here in one C search.
    """
    pos = start
    lead_at = -1  # the next lead character at or after pos (end: none)
    window_start = window_end = -1  # positions before the next anchor, where a match may begin
    while pos < end:
        if lead_at < pos:
            found = lead.search(text, pos, end)
            lead_at = found.start() if found is not None else end
        at = lead_at
        if anchor is not None:
            if window_end <= pos:
                hit = anchor.search(text, pos + 1, end)
                window_end = hit.start() if hit is not None else end
                window_start = window_end - reach
            if window_end < end:
                at = min(at, max(pos, window_start))
        if at >= end:
            return
        m = match(text, at, end)
        if m is not None and m.end() > at:
            yield at, m.end()
            pos = m.end()
        else:
            pos = at + 1


def not_figure_spans(text: str, start: int, end: int) -> Iterator[Tuple[int, int]]:
    """The spans in text[start:end] whose numbers are no figures by ``units.NOT_FIGURE_RULES``,
    left to right, as ``finditer`` of the rules' alternation gives them (read lazily)."""
    return _lead_spans(_NOT_FIGURE.match, _NOT_FIGURE_LEAD, text, start, end, _PLACE_WORD, PLACE_NAME_MAX)


class _Exclusions:
    """Does a span of text[start:end] overlap a span whose numbers are no figures (NOT_FIGURE_RULES,
    set phrases, enumerations)? Asked of spans in increasing order (each ends after the one before),
    as a paragraph's numbers come: each search goes only as far as the spans asked about, not past
    the paragraph's last number that needs it.

    The spans of one search do not overlap, so their ends increase with their starts: a span
    [a, b) overlaps one of them when the last of them starting before b ends after a.
    """

    __slots__ = ("streams", "heads", "last_ends")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.streams: List[Iterator[Tuple[int, int]]] = [
            not_figure_spans(text, start, end),
            (m.span() for m in _SET_PHRASE.finditer(text, start, end) if m.end() > m.start()),
            _lead_spans(_ENUMERATION.match, _ENUMERATION_LEAD, text, start, end),
        ]
        self.heads: List[Optional[Tuple[int, int]]] = [(-1, -1)] * 3  # the next span of each, once read
        self.last_ends = [-1, -1, -1]  # the end of the last span of each that starts before the last asked end

    def overlaps(self, start: int, end: int) -> bool:
        heads, last_ends = self.heads, self.last_ends
        for i in range(3):
            head = heads[i]
            if head is not None and head[0] < end:
                stream = self.streams[i]
                if head[0] >= 0:
                    last_ends[i] = head[1]
                head = next(stream, None)
                while head is not None and head[0] < end:
                    last_ends[i] = head[1]
                    head = next(stream, None)
                heads[i] = head
            if last_ends[i] > start:
                return True
        return False




# --------------------------------------------------------------------------- finding figures

def is_running_text(block: Block) -> bool:
    """A paragraph of running text: not a table, not a pipe-rendered table line of text input."""
    if block.kind != "para":
        return False
    text = block.text.rstrip()
    return " | " not in text and not text.endswith("|") and not text.startswith("|")


def _unit_at(text: str, pos: int, limit: int) -> str:
    if pos >= limit:
        return ""
    for unit in _UNITS_BY_FIRST.get(text[pos], ()):
        if text.startswith(unit, pos) and pos + len(unit) <= limit:
            return unit
    return ""


class _Candidate:
    __slots__ = ("numeral", "unit", "value", "start", "end", "approx")

    def __init__(self, numeral: Numeral, unit: str, value: Decimal, start: int, end: int, approx: bool):
        self.numeral = numeral
        self.unit = unit
        self.value = value
        self.start = start
        self.end = end
        self.approx = approx


def _candidate(text: str, numeral: Numeral, para_start: int, para_end: int) -> Optional[_Candidate]:
    """The figure a numeral states with the unit after it, or None when it states none."""
    if numeral.script == "digits":
        return None  # 二〇一二: a year written digit by digit
    before = text[max(para_start, numeral.start - 4):numeral.start]
    if numeral.start > para_start and _LETTER_OR_DIGIT.match(text[numeral.start - 1]):
        return None  # B615, H5, v2
    if before.endswith(NOT_BEFORE):
        return None
    if numeral.percent:
        unit, end, value = "%", numeral.end, numeral.value
    else:
        pos = numeral.end
        unit = _unit_at(text, pos, para_end)
        value = numeral.value
        if not unit:
            return None
        end = pos + len(unit)
        if numeral.multiplier and numeral.multiplier + unit in UNITS:
            unit, value = numeral.multiplier + unit, numeral.base  # 1万元: one of 万元
        if end < para_end and _LETTER_OR_DIGIT.match(text[end]) and unit != "%":
            return None
    if unit in DURATION_UNITS:
        after = text[end:end + 2]
        if not (any(before.endswith(w) or before.endswith(w + numeral.text) for w in DURATION_BEFORE)
                or any(after.startswith(w) for w in DURATION_AFTER)
                or text[max(para_start, numeral.num_start - 2):numeral.num_start] in DURATION_BEFORE):
            return None
        if numeral.value >= 100:
            return None
    if unit in NOT_FIGURE_UNITS:
        return None
    if numeral.script == "chinese" and numeral.text == "一" and before.endswith(ARTICLE_BEFORE):
        return None  # 是一项工作: an article
    return _Candidate(numeral, unit, value, numeral.start, end, numeral.approx)


def _inside_a_word(text: str, first: int, clause_begins: int) -> bool:
    """The numeral whose first character is at ``first`` is the end of a word of NUMERAL_WORDS
    (统一项目, 唯一一个) within its clause."""
    for word in NUMERAL_WORDS:
        at = first + 1 - len(word)
        if at >= clause_begins and text.startswith(word, at):
            return True
    return False


def clause_start(text: str, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` begins, looking back at most _LOOKBACK characters."""
    start = max(floor, pos - _LOOKBACK)
    depth = 0
    for i in range(pos - 1, start - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and ch in _CLAUSE_END:
            return i + 1
    return start


def _block_figures(text: str, printed: str, block: Block, sections: SectionIndex, subjects: bool) -> List[Figure]:
    """The figures of one block: numerals and units are matched on ``text``, the page text folded to
    Simplified script (一百萬, 345條); the raw text, unit and subject are read from ``printed``."""
    para_start, para_end = block.span
    excluded: Optional[_Exclusions] = None  # made for the first token that may state a figure
    figures: List[Figure] = []
    floor = para_start  # the end of what the previous figure (and its subject) took
    last_subject: Optional[str] = None
    for token in scan_tokens(text, para_start, para_end):
        # what _candidate needs first, a unit after the token or a percent sign, drops most tokens
        if isinstance(token, Numeral):
            num_start, num_end = token.num_start, token.num_end
        else:
            if not (token.group("pct") or token.group("pcts") or _unit_at(text, token.end(), para_end)):
                continue
            num_start, num_end = token_span(token)
        # then the position: most of the rest are skipped here, before their value is read
        if excluded is None:
            excluded = _Exclusions(text, para_start, para_end)
        if excluded.overlaps(num_start, num_end) or num_end - num_start > 40:
            continue  # (over 40 characters is no count, and JSON cannot print an int of 4300+ digits)
        numeral = token if isinstance(token, Numeral) else numeral_of(token)
        if numeral is None:
            continue
        cand = _candidate(text, numeral, para_start, para_end)
        if cand is None:
            continue
        clause_begins = max(floor, clause_start(text, cand.start, para_start))
        if numeral.script == "chinese" and _inside_a_word(text, numeral.num_start, clause_begins):
            continue
        subject: Optional[str] = None
        taken = cand.end
        if subjects:
            subject, taken = figure_subject(printed, clause_begins, cand.start, cand.end, para_end, cand.unit,
                                            last_subject)
        path, _ = sections.at(cand.start)
        figures.append(Figure(
            value=to_number(cand.value), unit=printed[cand.end - len(cand.unit):cand.end],
            raw=printed[cand.start:cand.end],
            span=(cand.start, cand.end), section=path, subject=subject, approx=cand.approx,
            page=block.page, bbox=block.bbox,
        ))
        if cand.unit != "%":
            last_subject = subject
        floor = taken
    return figures


def find_figures(page: Page, sections: Sequence[Section], *, subjects: bool = True) -> Tuple[Figure, ...]:
    """Every quantity in the running text of ``page``, in document order.

    ``subjects=False`` looks for no subjects (``Figure.subject`` is None): jieba is
    neither imported nor loaded.
    """
    index = SectionIndex(sections)
    found: List[Figure] = []
    folded = fold_page(page).text  # page.text itself when it holds no Traditional character
    for block in page.blocks:
        if is_running_text(block):
            found.extend(_block_figures(folded, page.text, block, index, subjects))
    return tuple(found)
