"""Subjects: what a figure counts, from the words of its clause.

The subject is a noun right after the counter (6份人大代表建议 → 人大代表建议, 245个重点项目
→ 重点项目); after a counter of events a verb phrase (两次举办培训 → 举办培训); else the words
of the clause before the number (主动公开政府信息1740条 → 主动公开政府信息) without its leading
time words, agents, adverbs and verbs of doing; a share (占53%) takes the subject of the
figure before it.

Clauses are split into words by jieba (its public API: a ``Tokenizer`` of the default
dictionary with the domain terms of :data:`zqparse.units.SUBJECT_TERMS` added, cut without
HMM), which is imported and loaded on the first subject asked for only. The vocabulary is
data in :mod:`zqparse.units`.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any, List, Optional, Tuple

import regex

from .normalize import HAN
from .units import (AFTER_STOP, CLAUSE_END, EVENT_UNITS, SUBJECT_FILLER, SUBJECT_MAX, SUBJECT_TAIL, SUBJECT_TERMS,
                    SUBJECT_VERBS)

__all__ = ["figure_subject", "clause_words", "tokenizer"]

_TIME_TOKEN = re.compile(r"^(?:\d+|(?:19|20)\d{2}年度?|[上下]半年|年[初中底末]|[0-9]{1,2}月(?:份)?|.{0,4}年(?:度|底|初)?)$")
_AGENT_TOKEN = re.compile(r"^[我本全该](?:局|区|县|市|镇|乡|办|委|厅|院|处|单位|机关|部门|街道|中心|所|站|队)$")
_PAREN_TAIL = re.compile(r"\([^()]{0,60}\)$")
#: a Chinese character (Extension A and beyond included: 㮾梨街道)
_HAN_CHAR = regex.compile(HAN)
#: characters that end the noun after a counter, besides the clause ends
_AFTER_END = frozenset(CLAUSE_END + "()《》“”和及与")
_QUOTES = ("“", "”", '"')
#: the word lists as sets, for membership tests
_FILLER = frozenset(SUBJECT_FILLER)
_VERBS = frozenset(SUBJECT_VERBS)
_TAIL = frozenset(SUBJECT_TAIL)
_AFTER_STOP = frozenset(AFTER_STOP)
_EVENT_UNITS = frozenset(EVENT_UNITS)

_LOOKAHEAD = 24  # characters read after a unit for a subject that follows it (bounded: linear cost)
_CACHED_CLAUSES = 8192  # clauses whose words are kept (a report has a few hundred)


# --------------------------------------------------------------------------- jieba, lazily

_TOKENIZER: Any = None  # a jieba.Tokenizer (jieba publishes no types)
_TOKENIZER_LOCK = threading.Lock()


def tokenizer() -> Any:
    """The jieba tokenizer used for clauses, built (and its dictionary loaded) on first use."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _TOKENIZER_LOCK:
            if _TOKENIZER is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in SUBJECT_TERMS + SUBJECT_FILLER:
                    if len(word) > 1:
                        tok.add_word(word)
                _TOKENIZER = tok
    return _TOKENIZER


@lru_cache(maxsize=_CACHED_CLAUSES)
def clause_words(clause: str) -> Tuple[str, ...]:
    """The words of ``clause``, as jieba cuts it without HMM (the same clause, the same words)."""
    return tuple(tokenizer().lcut(clause, HMM=False))


# --------------------------------------------------------------------------- subjects

def figure_subject(text: str, clause_start: int, start: int, end: int, para_end: int, unit: str,
                   previous: Optional[str]) -> Tuple[Optional[str], int]:
    """(subject, end of the text it took) of the figure ``text[start:end]`` counting ``unit``.

    ``clause_start`` is where its clause begins, ``previous`` the subject of the figure
    before it in the paragraph (a share takes it). The end is ``end`` unless the subject
    follows the unit.
    """
    if unit == "%":
        subject, _ = _subject_before(text, clause_start, start)
        return (subject if subject and not subject.startswith("占") else previous) or None, end
    # a noun right after the counter is what it counts (245个重点项目, 6份人大代表建议)
    after, stop = _subject_after(text, end, para_end, unit in _EVENT_UNITS)
    if after:
        return after, stop
    before, verbs = _subject_before(text, clause_start, start)
    return (before if len(before) > 1 else verbs) or None, end


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
    return "".join(w for w in words if w not in _QUOTES).strip(":,、 ")


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
    words = _strip_words(list(clause_words(clause)))
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
    if start >= end or not _HAN_CHAR.match(text, start):
        return "", start
    stop = start
    while stop < end and text[stop] not in _AFTER_END:
        stop += 1
    words = list(clause_words(text[start:stop]))
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
