"""Totals and their parts: checks of the totals a report states against the parts it lists.

A stated total and the parts after 其中 / 分别为 (…共N条，其中A条、B条), a total named
before its parts (…的425条政府信息中,A…148条), and parts closed by a total
(A项、B项…等共N个) are compared, each as a :class:`~zqparse.model.Check` with rule
``figures.total``: ``left`` the stated total, ``right`` the sum of the parts; ``ok`` is
None when a part is printed without a unit and cannot be counted. A check reports; it
never changes a figure. Reads the figures :mod:`zqparse.figures` found.
"""
from __future__ import annotations

import bisect
import re
from decimal import Decimal
from typing import List, Optional, Sequence, Tuple

from .figures import clause_start, is_running_text, not_figure_spans
from .model import Block, Check, Figure, Page
from .numerals import to_number

__all__ = ["figure_checks", "MAX_PARTS"]


_PARTS_OPEN = re.compile(r"其中|分别为")
#: 其中 followed by these lists a selection, not all the parts
_PARTS_PARTIAL = re.compile(r"\s?[,:]?\s?(?:涉及|包括有关|有关)")
#: a total named before its parts: 主动公开的425条政府信息中,机构职能…148条
_OF_TOTAL = re.compile(r"[^,。;:()\d]{1,12}中\s?[,:]")
_LIST_TOTAL = re.compile(r"等\s?[,]?\s?(?:共计|合计|总计|共)\s?$")
_TOTAL_WORD = re.compile(r"总数|总计|合计")
_BARE_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.%])")
_SENTENCE_STOP = re.compile("[。!?]")
_PAREN = re.compile("[()]")
#: lists longer than this are not checked (keeps hostile input linear)
MAX_PARTS = 60


class _Intervals:
    """Merged, sorted spans: does a span overlap any of them (in log time)."""

    def __init__(self, spans: List[Tuple[int, int]]):
        merged: List[List[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1  # the last span starting before ``end``
        return i >= 0 and self.ends[i] > start


class _Paragraph:
    """One paragraph's figures, sentence bounds and parenthesis depths, computed once."""

    def __init__(self, text: str, block: Block, figs: List[Figure]):
        self.text = text
        self.start, self.end = block.span
        self.figs = figs
        self.fig_starts = [f.span[0] for f in figs]
        self.stops = [m.start() for m in _SENTENCE_STOP.finditer(text, self.start, self.end)]
        # the depth changes at the few parentheses only: their offsets, and the depth after each
        self.paren_at: List[int] = []
        self.paren_depth: List[int] = []
        depth = 0
        for m in _PAREN.finditer(text, self.start, self.end):
            if m.group() == "(":
                depth += 1
            elif depth:
                depth -= 1
            else:
                continue  # a ")" with none open changes nothing
            self.paren_at.append(m.start())
            self.paren_depth.append(depth)

    def depth(self, pos: int) -> int:
        """How many parentheses are open before ``pos`` (0 outside the paragraph)."""
        if not self.start <= pos < self.end:
            return 0
        i = bisect.bisect_left(self.paren_at, pos)
        return self.paren_depth[i - 1] if i else 0

    def sentence(self, pos: int) -> Tuple[int, int]:
        """(start, end) of the sentence holding ``pos``."""
        i = bisect.bisect_left(self.stops, pos)
        left = self.stops[i - 1] + 1 if i > 0 else self.start
        right = self.stops[i] if i < len(self.stops) else self.end
        return left, right

    def figures_between(self, lo: int, hi: int, limit: int = MAX_PARTS * 2, last: bool = False) -> List[Figure]:
        """The figures starting in [lo, hi): at most ``limit`` of them, the first or the ``last`` ones."""
        a, b = bisect.bisect_left(self.fig_starts, lo), bisect.bisect_left(self.fig_starts, hi)
        if b - a > limit:
            a, b = (b - limit, b) if last else (a, a + limit)
        return self.figs[a:b]


def _sum(figures: Sequence[Figure]) -> Decimal:
    return sum((Decimal(str(f.value)) for f in figures), Decimal(0))


def _check(total: Figure, parts: Sequence[Figure], undecided: bool) -> Check:
    total_value = Decimal(str(total.value))
    parts_sum = _sum(parts)
    ok = None if undecided else parts_sum == total_value
    listed = "+".join(str(p.value) for p in parts)
    message = (f"{total.raw} stated; its {len(parts)} parts add up to {to_number(parts_sum)} ({listed})"
               + (" (a part is printed without a unit)" if undecided else ""))
    return Check(rule="figures.total", where=total.section or "", ok=ok, left=total.value,
                 right=to_number(parts_sum), message=message)


def _undecided(para: _Paragraph, start: int, end: int) -> bool:
    """A bare number among the parts (不予公开信息数1402): neither a figure nor a date, code…"""
    text = para.text
    covered = _Intervals([f.span for f in para.figures_between(start - 8, end, limit=len(para.figs))]
                         + list(not_figure_spans(text, start, end)))
    return any(not covered.overlaps(m.start(), m.end()) for m in _BARE_NUMBER.finditer(text, start, end))


def _parts_after(para: _Paragraph, pos: int) -> Tuple[List[Figure], int]:
    """The parts listed after 其中 at ``pos``: same-depth figures of one unit up to the sentence end."""
    text = para.text
    _, sentence_end = para.sentence(pos)
    depth = para.depth(pos)
    parts: List[Figure] = []
    unit = None
    region_end = sentence_end
    for fig in para.figures_between(pos, sentence_end):
        if para.depth(fig.span[0]) != depth:
            continue
        clause = text[clause_start(text, fig.span[0], pos):fig.span[0]]
        if parts and (_TOTAL_WORD.search(clause) or _PARTS_OPEN.match(text, fig.span[1], fig.span[1] + 3)
                      or text.startswith(",其中", fig.span[1])):
            region_end = fig.span[0]
            break  # a new total: 对申请的答复总数21条
        if unit is None and fig.unit != "%":
            unit = fig.unit
        if fig.unit == unit:
            parts.append(fig)
            if len(parts) > MAX_PARTS:
                return [], region_end
    return parts, region_end


def _total_before(para: _Paragraph, opener: int, unit: str) -> Optional[Figure]:
    """The stated total a 其中 refers to: the last figure of the parts' unit before it, in its
    sentence (or the sentence before, when 其中 opens one), one parenthesis level out when
    the list is parenthesised: 共公布政府信息2599条,(其中…)."""
    text = para.text
    sentence_start, _ = para.sentence(opener)
    if text[sentence_start:opener].strip(" ,:") == "":
        sentence_start, _ = para.sentence(max(para.start, sentence_start - 1))
    depth = para.depth(opener)
    if depth and text[opener - 1:opener] == "(":
        depth -= 1
    for fig in reversed(para.figures_between(sentence_start, opener, last=True)):
        if fig.unit == unit and para.depth(fig.span[0]) == depth:
            return fig
    return None


def _openers(para: _Paragraph) -> List[Tuple[int, Optional[Figure]]]:
    """Where a list of parts begins, with its total when the form names it (…的425条政府信息中,)."""
    text = para.text
    found: List[Tuple[int, Optional[Figure]]] = []
    for opener in _PARTS_OPEN.finditer(text, para.start, para.end):
        if _PARTS_PARTIAL.match(text, opener.end()):
            continue  # 其中涉及…: a selection, not a partition
        found.append((opener.end(), None))
    for fig in para.figs:
        if fig.unit == "%":
            continue
        of = _OF_TOTAL.match(text, fig.span[1], para.end)
        if of:
            found.append((of.end(), fig))
    return sorted(found, key=lambda item: item[0])


def _paragraph_checks(para: _Paragraph) -> List[Check]:
    text = para.text
    checks: List[Check] = []
    # 1. a total, then 其中/分别为 (or …N条X中,) and its parts
    for pos, total in _openers(para):
        parts, region_end = _parts_after(para, pos)
        if not parts:
            continue
        unit = parts[0].unit
        if total is None:
            total = _total_before(para, pos - 2, unit)
        if total is None or total.unit != unit:
            continue
        if len(parts) == 1:  # the parts go on one sentence at a time: …1822条,占53%。各乡镇…1638条
            running = _sum(parts)
            for fig in para.figures_between(region_end, para.end):
                if fig.unit != unit:
                    continue
                if running >= Decimal(str(total.value)):
                    break
                s_start, s_end = para.sentence(fig.span[0])
                if _PARTS_OPEN.search(text, s_start, fig.span[0]) or _TOTAL_WORD.search(text, s_start, fig.span[0]):
                    break
                if any(p.span[0] >= s_start for p in parts):
                    break  # one part per sentence
                parts.append(fig)
                running += Decimal(str(fig.value))
                region_end = s_end
        if len(parts) < 2:
            continue
        checks.append(_check(total, parts, _undecided(para, pos, region_end)))
    # 2. parts, then …等共N个
    for fig in para.figs:
        if not _LIST_TOTAL.search(text, max(para.start, fig.span[0] - 5), fig.span[0]):
            continue
        sentence_start, _ = para.sentence(fig.span[0])
        depth = para.depth(fig.span[0])
        parts = [f for f in para.figures_between(sentence_start, fig.span[0], limit=MAX_PARTS + 1, last=True)
                 if f.unit != "%" and para.depth(f.span[0]) == depth]
        if len(parts) < 2 or len(parts) > MAX_PARTS or len({p.unit for p in parts}) != 1:
            continue
        checks.append(_check(fig, parts, _undecided(para, parts[0].span[0], fig.span[0])))
    return checks


def figure_checks(page: Page, figures: Sequence[Figure]) -> Tuple[Check, ...]:
    """Checks of stated totals against their listed parts (共… 其中…, …等共N个)."""
    text = page.text
    checks: List[Check] = []
    ordered = sorted(figures, key=lambda f: f.span)
    starts = [f.span[0] for f in ordered]
    for block in page.blocks:
        lo, hi = bisect.bisect_left(starts, block.span[0]), bisect.bisect_left(starts, block.span[1])
        if hi - lo >= 2 and is_running_text(block):
            checks.extend(_paragraph_checks(_Paragraph(text, block, ordered[lo:hi])))
    return tuple(checks)
