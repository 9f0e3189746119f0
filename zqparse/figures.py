"""Figures: every quantity in the running text, with unit, subject and provenance.

A figure is a number with a counter or unit after it (1740条, 7700余条, 1万元,
71.3%, 两次, 六部分) in a paragraph of running text. Table cells are not
figures, nor are the pipe-rendered table lines of text input. Dates, years,
document numbers, phone numbers, postcodes, addresses, ordinals, set phrases
and numbers in titles or short quoted names are not figures either; those rules
are data in :mod:`zqparse.units`.

``Figure.section`` is the path of numbers of the sections the figure stands in,
outermost first, joined by ``.``, each number printed as its level prints it
(level 2 and 4 in parentheses): ``"二"``, ``"三.(一)"``, ``"一.(二).1.(3)"``.

``Figure.subject`` is what the figure counts, from the words of its clause
before the number (主动公开政府信息 1740条), else after its unit (办理6份人大代表建议);
a share (占53%) takes the subject of the figure before it. The clause is split
into words with jieba, loaded on first use only.

:func:`figure_checks` compares stated totals with their listed parts (…共N条，其中
A条、B条 and A项、B项…等共N个) and reports each as a :class:`~zqparse.model.Check`
with rule ``figures.total``: ``left`` the stated total, ``right`` the sum of the
parts; ``ok`` is None when a part is printed without a unit and cannot be counted.
"""
from __future__ import annotations

import bisect
import re
import threading
from decimal import Decimal
from math import log
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from .model import Block, Check, Figure, Page, Section
from .numerals import Numeral, numeral_of, scan_tokens, to_number, token_span
from .units import (ARTICLE_BEFORE, DURATION_AFTER, DURATION_BEFORE, DURATION_UNITS, NOT_FIGURE_UNITS,
                    NOT_BEFORE, NOT_FIGURE_PATTERNS, SET_PHRASES, SUBJECT_FILLER, SUBJECT_MAX,
                    SUBJECT_TAIL, SUBJECT_TERMS, SUBJECT_VERBS, UNITS)

__all__ = ["find_figures", "figure_checks", "is_running_text", "section_path", "tokenizer"]

_SET_PHRASE = re.compile("|".join(re.escape(p) for p in sorted(SET_PHRASES, key=len, reverse=True)))
_UNITS_BY_FIRST: Dict[str, Tuple[str, ...]] = {}
for _unit in sorted(UNITS, key=len, reverse=True):
    _UNITS_BY_FIRST.setdefault(_unit[0], ())
    _UNITS_BY_FIRST[_unit[0]] += (_unit,)

#: enumeration and heading numerals: 一、 (一) 1、 1. (1) at a paragraph start or after punctuation
_ENUMERATION_PATTERN = (r"[(][0-9一二三四五六七八九十]{1,3}[)]"
                        r"|(?:^|(?<=[。;:,、\s]))(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?[、.](?![0-9])")
#: where a clause ends, looking back from a figure
_CLAUSE_END = set(",。;:!?、")
_SENTENCE_END = set("。;!?")
_TIME_TOKEN = re.compile(r"^(?:\d+|(?:19|20)\d{2}年度?|[上下]半年|年[初中底末]|[0-9]{1,2}月(?:份)?|.{0,4}年(?:度|底|初)?)$")
_AGENT_TOKEN = re.compile(r"^[我本全该](?:局|区|县|市|镇|乡|办|委|厅|院|处|单位|机关|部门|街道|中心|所|站|队)$")
_LETTER_OR_DIGIT = re.compile(r"[A-Za-z0-9.]")
_PAREN_TAIL = re.compile(r"\([^()]{0,60}\)$")
_CJK_START = re.compile(r"[\u4e00-\u9fff]")
#: words after a counter that end the noun it counts (事项可在线办理, 负责人参加…)
AFTER_STOP = ("可", "在", "已", "均", "都", "进行", "组成", "通过", "向", "给", "并", "共", "等", "是",
              "为", "被", "由", "从", "中", "里", "以", "将", "要", "能", "得到", "涉及", "加强",
              "之", "其中", "分别", "左右", "以上", "次", "占", "达", "以内", "位居", "排名", "排在")
#: counters of events: the verb phrase after them says what happened (两次举办…培训)
EVENT_UNITS = ("次", "场", "场次", "期", "批次")
#: the word lists as sets, for membership tests
_FILLER = frozenset(SUBJECT_FILLER)
_VERBS = frozenset(SUBJECT_VERBS)
_TAIL = frozenset(SUBJECT_TAIL)
_AFTER_STOP = frozenset(AFTER_STOP)

_LOOKBACK = 40  # characters of clause read before a number (bounded: linear cost)
_LOOKAHEAD = 24  # characters read after a unit for a subject that follows it


# --------------------------------------------------------------------------- fast alternations

try:  # the parser of the re module: re._parser from 3.11, sre_parse before (private: guarded)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    try:
        import sre_parse as _sre_parse  # type: ignore[no-redef]
    except ImportError:  # no parser to read patterns with: every _Finder searches plainly
        _sre_parse = None  # type: ignore[assignment]

#: a class of first characters is narrow when no range in it is wider than this
_NARROW_RANGE = 256
#: an alternative that may start at any Chinese character and then needs ``rest``
_CJK_LEAD = re.compile(r"^\[\\u4e00-\\u9fff\]\{1,([1-9][0-9]?)\}(.+)$", re.S)
_REPEATS = tuple(op for op in (getattr(_sre_parse, name, None)
                               for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")) if op is not None)
_ZERO_WIDTH = tuple(op for op in (getattr(_sre_parse, name, None)
                                  for name in ("AT", "ASSERT", "ASSERT_NOT")) if op is not None)

_Find = Callable[[str, int, int], Optional[Tuple[int, int]]]


def _first_items(items) -> Tuple[Optional[list], bool]:
    """(charset items a match can start with, None when it may start anywhere; can it match empty text)."""
    found: list = []
    for op, av in items:
        if op is _sre_parse.LITERAL:
            found.append((op, av))
            return found, False
        if op is _sre_parse.IN:
            if any(o is _sre_parse.NEGATE for o, _ in av):
                return None, False
            found.extend(av)
            return found, False
        if op is _sre_parse.SUBPATTERN:
            sub, nullable = _first_items(av[-1])
        elif op is _sre_parse.BRANCH:
            sub, nullable = [], False
            for branch in av[1]:
                part, part_nullable = _first_items(branch)
                if part is None:
                    return None, False
                sub.extend(part)
                nullable = nullable or part_nullable
        elif op in _REPEATS:
            sub, nullable = _first_items(av[2])
            nullable = nullable or av[0] == 0
        elif op in _ZERO_WIDTH:
            continue  # what follows starts the match
        else:
            return None, False
        if sub is None:
            return None, False
        found.extend(sub)
        if not nullable:
            return found, False
    return found, True


def _first_class(pattern: str, flags: int) -> Optional[str]:
    """The class of the characters a match of ``pattern`` starts with, when it is narrow."""
    items, nullable = _first_items(_sre_parse.parse(pattern, flags))
    if items is None or nullable:
        return None
    parts = []
    for op, av in items:
        if op is _sre_parse.LITERAL:
            parts.append(f"\\U{av:08x}")
        elif op is _sre_parse.RANGE and av[1] - av[0] <= _NARROW_RANGE:
            parts.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif op is _sre_parse.CATEGORY and av is _sre_parse.CATEGORY_DIGIT:
            parts.append(r"\d")
        elif op is _sre_parse.CATEGORY and av is _sre_parse.CATEGORY_SPACE:
            parts.append(r"\s")
        else:
            return None
    return "".join(parts) or None


def _cjk_lead(pattern: str, flags: int) -> Optional[Tuple[int, str]]:
    """(N, rest) of a pattern ``[\\u4e00-\\u9fff]{1,N}rest`` whose rest is a pattern of its own, else None."""
    lead = _CJK_LEAD.match(pattern)
    if lead is None:
        return None
    items = list(_sre_parse.parse(pattern, flags))
    re.compile(lead.group(2), flags)
    if len(items) < 2 or items[0][0] is not _sre_parse.MAX_REPEAT:
        return None
    low, high, sub = items[0][1]
    if (low, high) != (1, int(lead.group(1))) or list(sub) != [(_sre_parse.IN, [(_sre_parse.RANGE, (0x4E00, 0x9FFF))])]:
        return None
    return high, lead.group(2)


def _narrow_part(first: str, alternation: str, flags: int) -> Tuple[_Find, "re.Pattern[str]"]:
    """re skips in C to a character of ``first``; the lookahead in the one-character lookbehind
    tries the alternatives there and captures their match."""
    probe = re.compile(f"[{first}](?<=(?=({alternation}))[\\s\\S])", flags)
    search = probe.search

    def find(text: str, pos: int, end: int) -> Optional[Tuple[int, int]]:
        m = search(text, pos, end)
        return m.span(1) if m is not None else None

    return find, probe


def _plain_part(alternative: str, flags: int) -> Tuple[_Find, "re.Pattern[str]"]:
    pattern = re.compile(alternative, flags)
    search = pattern.search

    def find(text: str, pos: int, end: int) -> Optional[Tuple[int, int]]:
        m = search(text, pos, end)
        return m.span() if m is not None else None

    return find, pattern


def _lead_part(alternative: str, reach: int, rest: str, flags: int) -> Tuple[_Find, "re.Pattern[str]"]:
    """``[\\u4e00-\\u9fff]{1,reach}rest`` can match only in the ``reach`` characters before a match of rest."""
    match = re.compile(alternative, flags).match
    anchor = re.compile(rest, flags)
    search = anchor.search

    def find(text: str, pos: int, end: int) -> Optional[Tuple[int, int]]:
        tried = pos  # no match starts in [pos, tried)
        while True:
            hit = search(text, tried + 1, end)
            if hit is None:
                return None
            k = hit.start()
            for q in range(max(tried, k - reach), k):
                m = match(text, q, end)
                if m is not None:
                    return m.span()
            tried = k

    return find, anchor


class _Finder:
    """The spans of the non-empty matches of ``(?:p1)|(?:p2)|…`` in text[start:end], as finditer
    gives them, faster.

    re tries every alternative at every position. Here the alternatives that start with a
    character of a narrow class are searched together by a pattern that starts with that
    class (re skips to those characters in C); one that may start at any Chinese character,
    ``[\\u4e00-\\u9fff]{1,N}rest``, is tried only in the N characters before a match of rest;
    any other is searched alone. Where two parts match at the same position the full
    alternation decides, so the spans are finditer's, match for match. Each part costs what
    its alternatives cost in the full pattern: linear time stays linear.
    """

    def __init__(self, alternatives: Sequence[str], flags: int = 0):
        self.full = re.compile("|".join(f"(?:{p})" for p in alternatives), flags)
        self.parts: List[_Find] = []
        self.patterns: Tuple["re.Pattern[str]", ...] = ()
        try:
            built = []
            narrow: List[Tuple[str, str]] = []
            for p in alternatives:
                if _first_items(_sre_parse.parse(p, flags))[1] or re.compile(p, flags).fullmatch(""):
                    raise ValueError("an alternative matches empty text")
                first = None if flags & re.IGNORECASE else _first_class(p, flags)
                lead = _cjk_lead(p, flags) if first is None else None
                if first is not None:
                    narrow.append((first, p))
                elif lead is not None:
                    built.append(_lead_part(p, lead[0], lead[1], flags))
                else:
                    built.append(_plain_part(p, flags))
            if narrow:
                built.insert(0, _narrow_part("".join(f for f, _ in narrow),
                                             "|".join(f"(?:{p})" for _, p in narrow), flags))
        except Exception:  # noqa: BLE001 - a construct not understood here: plain finditer
            built = []
        self.parts = [find for find, _ in built]
        self.patterns = tuple(pattern for _, pattern in built)

    def spans(self, text: str, start: int, end: int) -> List[Tuple[int, int]]:
        return list(self.iter_spans(text, start, end))

    def iter_spans(self, text: str, start: int, end: int) -> Iterator[Tuple[int, int]]:
        """The spans of :meth:`spans`, one at a time: the searches go only as far as they are read."""
        parts = self.parts
        if not parts:
            for m in self.full.finditer(text, start, end):
                if m.end() > m.start():
                    yield m.span()
            return
        pos = start
        if len(parts) == 1:
            find = parts[0]
            while pos < end:
                found = find(text, pos, end)
                if found is None:
                    break
                yield found
                pos = found[1]
            return
        nexts: List[Optional[Tuple[int, int]]] = [None] * len(parts)
        live = list(range(len(parts)))
        while pos < end and live:
            best: Optional[Tuple[int, int]] = None
            tie = False
            for i in tuple(live):
                found = nexts[i]
                if found is None or found[0] < pos:
                    found = nexts[i] = parts[i](text, pos, end)
                    if found is None:
                        live.remove(i)
                        continue
                if best is None or found[0] < best[0]:
                    best, tie = found, False
                elif found[0] == best[0]:
                    tie = True
            if best is None:
                break
            if tie:
                best = self.full.match(text, best[0], end).span()  # type: ignore[union-attr]
            yield best
            pos = best[1]


_NOT_FIGURE_FINDER = _Finder(NOT_FIGURE_PATTERNS)
_NOT_FIGURE = _NOT_FIGURE_FINDER.full
_ENUMERATION_FINDER = _Finder((_ENUMERATION_PATTERN,), re.M)
_ENUMERATION = _ENUMERATION_FINDER.full


# --------------------------------------------------------------------------- jieba, lazily

_TOKENIZER = None
_TOKENIZER_LOCK = threading.Lock()


def tokenizer():
    """The jieba tokenizer used for clauses, built (and its dictionary loaded) on first use."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _TOKENIZER_LOCK:
            if _TOKENIZER is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                _load_dictionary(tok)
                for word in SUBJECT_TERMS + SUBJECT_FILLER:
                    if len(word) > 1:
                        tok.add_word(word)
                _TOKENIZER = tok
    return _TOKENIZER


def _load_dictionary(tok) -> None:
    """Load jieba's default dictionary into ``tok``, as ``tok.initialize()`` does.

    jieba reads its cache with ``marshal.load`` on the open file, which reads in small
    steps; reading the file whole and ``marshal.loads`` gives the same dictionary in a
    third of the time (0.3 s instead of 0.9 s, once per process). Anything unexpected —
    another jieba, a custom dictionary, no cache yet, a cache being written — goes to
    ``tok.initialize()`` itself.
    """
    import marshal
    import os
    import tempfile

    import jieba

    cache = os.path.join(tempfile.gettempdir(), "jieba.cache")  # where jieba caches its default dictionary
    default = (getattr(tok, "dictionary", None) == getattr(jieba, "DEFAULT_DICT", ...)
               and not getattr(tok, "cache_file", True) and not getattr(tok, "tmp_dir", True))
    if default and os.path.isfile(cache):
        try:
            with open(cache, "rb") as handle:
                freq, total = marshal.loads(handle.read())
        except Exception:  # noqa: BLE001 - any unreadable cache: let jieba deal with it
            freq = total = None
        if isinstance(freq, dict) and freq and isinstance(total, (int, float)):
            tok.FREQ, tok.total, tok.initialized = freq, total, True
            return
    tok.initialize()


#: jieba's split of a sentence into runs it segments by its dictionary and other text
_HAN_RUN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _words(clause: str) -> List[str]:
    """The words of ``clause`` as ``tokenizer().lcut(clause, HMM=False)`` gives them."""
    if len(clause) <= 1:
        return [clause] if clause else []
    tok = tokenizer()
    if not isinstance(getattr(tok, "FREQ", None), dict):  # a jieba that keeps its dictionary elsewhere
        return tok.lcut(clause, HMM=False)
    words: List[str] = []
    for run in _HAN_RUN.split(clause):
        if not run:
            continue
        if _HAN_RUN.match(run):
            _segment_run(tok, run, words)
        else:  # punctuation and spaces: one word a character, a \r\n pair and each space apart
            for part in _SKIP.split(run):
                if _SKIP.match(part):
                    words.append(part)
                else:
                    words.extend(part)
    return words


def _segment_run(tok, run: str, words: List[str]) -> None:
    """Append the words of one run as jieba's cut without HMM finds them: the path of greatest
    total log frequency through the dictionary words of the run (ties to the longer word), with
    single ASCII letters and digits in a row joined.

    jieba's own cut spends most of its time in generators and the dicts it builds; this is its
    algorithm over its dictionary (``tok.FREQ``), computed in one loop from the right.
    """
    get = tok.FREQ.get
    logtotal = log(tok.total)
    n = len(run)
    score = [0.0] * (n + 1)  # score[k]: the best log frequency of run[k:]
    ends = [0] * n  # ends[k]: the end of the first word on that path
    for k in range(n - 1, -1, -1):
        best_score = best_end = None
        end = k + 1
        count = get(run[k])
        while count is not None:  # run[k:end] is a dictionary word (count > 0) or the start of one
            if count:
                # (log - logtotal) + score, the order of jieba's sum: the same floats, the same ties
                here = log(count) - logtotal + score[end]
                if best_score is None or here >= best_score:  # >=: a tie goes to the later end, as in jieba
                    best_score, best_end = here, end
            if end == n:
                break
            end += 1
            count = get(run[k:end])
        if best_score is None:  # no dictionary word starts here: the character alone, of count 1
            best_score, best_end = log(1) - logtotal + score[k + 1], k + 1
        score[k] = best_score
        ends[k] = best_end
    k = 0
    letters = ""
    while k < n:
        end = ends[k]
        word = run[k:end]
        if end - k == 1 and word in _ASCII_ALNUM:
            letters += word
        else:
            if letters:
                words.append(letters)
                letters = ""
            words.append(word)
        k = end
    if letters:
        words.append(letters)


# --------------------------------------------------------------------------- sections

class _Sections:
    """The innermost section at an offset, and its number path."""

    def __init__(self, sections: Sequence[Section]):
        self.items: List[Tuple[int, int, str, Tuple[Section, ...]]] = []
        items = self.items

        def walk(section: Section, chain: Tuple[Section, ...], path: str):
            chain = chain + (section,)
            number = section.number
            part = f"({number})" if section.level in (2, 4) else number
            path = f"{path}.{part}" if chain[1:] else part  # section_path(chain), a part at a time
            span = section.span
            items.append((span[0], span[1], path, chain))
            for child in section.children:
                walk(child, chain, path)

        for section in sections:
            walk(section, (), "")
        self.starts = [item[0] for item in items]

    def at(self, offset: int) -> Tuple[Optional[str], Tuple[Section, ...]]:
        """(path, chain of sections outermost first) at ``offset``; (None, ()) outside every section."""
        index = bisect.bisect_right(self.starts, offset) - 1
        while index >= 0:
            start, end, path, chain = self.items[index]
            if start <= offset < end:
                return path, chain
            index -= 1
        return None, ()


def section_path(chain: Sequence[Section]) -> str:
    """The printed path of a chain of sections: 三.(一).2."""
    parts = []
    for section in chain:
        number = section.number
        parts.append(f"({number})" if section.level in (2, 4) else number)
    return ".".join(parts)


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


def _word_bounded(text: str, cand: _Candidate, clause_start: int, para_end: int) -> bool:
    """A Chinese numeral and its counter are words of their own (一条龙, 统一项目 are not counts)."""
    left = max(clause_start, cand.numeral.num_start - 6)
    right = min(para_end, cand.end + 4)
    window = text[left:right]
    cuts = set()
    pos = left
    for word in _words(window):
        cuts.add(pos)
        pos += len(word)
    cuts.add(pos)
    return cand.numeral.num_start in cuts and cand.end in cuts


def _clause_start(text: str, pos: int, floor: int) -> int:
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


def _strip_words(words: List[str]) -> List[str]:
    """The words without the clause's leading filler (time, agent, adverbs) and trailing particles."""
    words = [w for w in words if w.strip()]
    changed = True
    while changed:
        changed = False
        while words and (words[0] in _FILLER or _TIME_TOKEN.match(words[0])
                         or _AGENT_TOKEN.match(words[0])):
            words = words[1:]
            changed = True
        # a quoted channel name before the thing counted: “政务咨询”网民留言 → 网民留言
        if words and words[0] in ("“", '"') and len(words) > 2:
            close = next((i for i, w in enumerate(words[1:], 1) if w in ("”", '"')), None)
            if close is not None and close < len(words) - 1:
                words = words[close + 1:]
                changed = True
    while words and words[-1] in _TAIL:
        words = words[:-1]
    return words


def _clean(words: List[str]) -> str:
    return "".join(w for w in words if w not in ("“", "”", '"')).strip(":,、 ")


def _subject_before(text: str, start: int, end: int) -> Tuple[str, str]:
    """(subject, verbs) from the clause text[start:end] before a number.

    Leading verbs of doing are dropped (梳理行政许可 → 行政许可) and returned apart,
    for a clause that holds nothing else (办结171件).
    """
    clause = text[start:end]
    while True:  # drop a parenthetical right before the number: 政府信息(公文平台发文)113条
        tail = _PAREN_TAIL.search(clause)
        if not tail:
            break
        clause = clause[:tail.start()]
    words = _strip_words(_words(clause))
    verbs: List[str] = []
    while words and words[0] in _VERBS:
        verbs.append(words[0])
        words = _strip_words(words[1:])
    subject = _clean(words)
    if len(subject) < 2 and verbs:  # 办结率100%: keep the verb rather than a lone suffix
        subject = _clean(verbs + words)
        verbs = []
    return subject[-SUBJECT_MAX:], _clean(verbs)


def _subject_after(text: str, start: int, para_end: int, event: bool = False) -> Tuple[str, int]:
    """(subject, end) from the words right after a unit: 6份人大代表建议和… → 人大代表建议.

    After a counter of events (``event``) a verb may open it: 两次举办培训 → 举办培训.
    """
    end = min(para_end, start + _LOOKAHEAD)
    if start >= end or not _CJK_START.match(text[start]):
        return "", start
    stop = start
    while stop < end and text[stop] not in _CLAUSE_END and text[stop] not in "()《》“”和及与":
        stop += 1
    words = _words(text[start:stop])
    if stop == end and len(words) > 1:
        words = words[:-1]  # the last word may be cut by the look-ahead bound
    taken: List[str] = []
    pos = start
    for word in words:
        if not (event and not taken) and (word in _VERBS or word in _AFTER_STOP
                                          or (not taken and word in _FILLER)):
            break
        taken.append(word)
        pos += len(word)
    subject = _clean(taken).lstrip("的")
    return subject[:SUBJECT_MAX], pos if subject else start


class _Exclusions:
    """Does a span of text[start:end] overlap a span whose numbers are no figures (NOT_FIGURE_PATTERNS,
    set phrases, enumerations)? Asked of spans in increasing order (each ends after the one before),
    as a paragraph's numbers come: each search goes only as far as the spans asked about, not past
    the paragraph's last number that needs it.

    The spans of one search do not overlap, so their ends increase with their starts: a span
    [a, b) overlaps one of them when the last of them starting before b ends after a.
    """

    __slots__ = ("streams", "heads", "last_ends")

    def __init__(self, text: str, start: int, end: int):
        self.streams: List[Iterator[Tuple[int, int]]] = [
            _NOT_FIGURE_FINDER.iter_spans(text, start, end),
            (m.span() for m in _SET_PHRASE.finditer(text, start, end) if m.end() > m.start()),
            _ENUMERATION_FINDER.iter_spans(text, start, end),
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


def _block_figures(text: str, block: Block, sections: _Sections, subjects: bool) -> List[Figure]:
    para_start, para_end = block.span
    excluded: Optional[_Exclusions] = None  # made for the first token that may state a figure
    figures: List[Figure] = []
    floor = para_start  # the end of what the previous figure (and its subject) took
    last_subject: Optional[str] = None
    for token in scan_tokens(text, para_start, para_end):
        # what _candidate needs first, a unit after the token or a percent sign, drops most tokens
        if type(token) is Numeral:
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
        numeral = token if type(token) is Numeral else numeral_of(token)
        if numeral is None:
            continue
        cand = _candidate(text, numeral, para_start, para_end)
        if cand is None:
            continue
        clause_start = max(floor, _clause_start(text, cand.start, para_start))
        if numeral.script == "chinese" and not _word_bounded(text, cand, clause_start, para_end):
            continue
        subject = None
        taken = cand.end
        if subjects:
            if cand.unit == "%":
                subject, _ = _subject_before(text, clause_start, cand.start)
                subject = subject if subject and not subject.startswith("占") else last_subject
            else:
                # a noun right after the counter is what it counts (245个重点项目, 6份人大代表建议)
                after, stop = _subject_after(text, cand.end, para_end, cand.unit in EVENT_UNITS)
                if after:
                    subject, taken = after, stop
                else:
                    before, verbs = _subject_before(text, clause_start, cand.start)
                    subject = before if len(before) > 1 else verbs
            subject = subject or None
        path, _ = sections.at(cand.start)
        figures.append(Figure(
            value=to_number(cand.value), unit=cand.unit, raw=text[cand.start:cand.end],
            span=(cand.start, cand.end), section=path, subject=subject, approx=cand.approx,
        ))
        if cand.unit != "%":
            last_subject = subject
        floor = taken
    return figures


def find_figures(page: Page, sections: Sequence[Section], *, subjects: bool = True) -> Tuple[Figure, ...]:
    """Every quantity in the running text of ``page``, in document order.

    ``subjects=False`` skips the subjects (and jieba's segmentation of clauses,
    except for the word check of Chinese numerals).
    """
    index = _Sections(sections)
    found: List[Figure] = []
    for block in page.blocks:
        if is_running_text(block):
            found.extend(_block_figures(page.text, block, index, subjects))
    return tuple(found)


# --------------------------------------------------------------------------- totals and parts

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
                         + _NOT_FIGURE_FINDER.spans(text, start, end))
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
        clause = text[_clause_start(text, fig.span[0], pos):fig.span[0]]
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
