"""The section tree: numbered headings (一、 (一) 1. (1) ①) and what lies under them.

A paragraph is a heading when it starts with a numeral of one of the five levels
(``vocab.HEADING_RULES``), no rule of ``vocab.NOT_HEADING_RULES`` refuses it (a table
row, a table's row label, a title that is a number or missing or too long), and its
number continues the count of its siblings (一 after nothing, 二 after 一 …, one skip
tolerated), so stray numerals in running text do not open sections. Tables are never
headings. The title is the heading's text to the end of its line or, when the heading
runs into its paragraph, to the first 。 (or to a colon that comes first and is followed
by more than one sentence).
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .model import Block, Section
from .numerals import chinese_value
from .script import fold
from .vocab import (CONTENT_KIND_CHARS, CONTENT_KINDS, DEFAULT_SECTION_KIND, HEADING_RULES, NOT_HEADING_RULES,
                    SECTION_KINDS, HeadingRule)

__all__ = ["find_sections", "section_kind", "numeral_value", "heading_title", "read_heading", "Heading", "SectionIndex"]

_RULES = tuple((rule, re.compile(rule.pattern)) for rule in HEADING_RULES)
_NOT_RULES = {part: tuple((rule.name, re.compile(rule.pattern)) for rule in NOT_HEADING_RULES if rule.part == part)
              for part in ("line", "text", "title")}
_KINDS = tuple((kind.name, re.compile(kind.pattern)) for kind in SECTION_KINDS)
_CONTENT_KINDS = tuple((kind.name, re.compile(kind.pattern)) for kind in CONTENT_KINDS)
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}


@dataclass(frozen=True, slots=True)
class Heading:
    """What a paragraph's opening says: ``rule`` is the name of the rule that decided (a
    HEADING_RULES name for a heading, a NOT_HEADING_RULES name for a refusal, "" when no
    numeral opens it); level, number, title and the title's end are set for a heading."""

    rule: str
    level: int = 0
    number: str = ""
    title: str = ""
    title_end: int = 0


_PLAIN = Heading("")


def numeral_value(num: str) -> int:
    """The integer a heading numeral stands for: 三 → 3, 十二 → 12, 7 → 7, ③ → 3."""
    if num in _CIRCLED:
        return _CIRCLED[num]
    if num.isdecimal():
        return int(num)
    try:
        return int(chinese_value(num))
    except ValueError:
        return 0


def section_kind(title: str) -> str:
    """The kind of a level-1 section from its title (``vocab.SECTION_KINDS``), in either script."""
    return _named_kind(title) or DEFAULT_SECTION_KIND


def _named_kind(title: str) -> Optional[str]:
    title = fold(title)
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return kind
    return None


def content_kind(title: str, body: str) -> str:
    """The kind of a level-1 section: from its title, else from what its text ``body`` holds
    (``vocab.CONTENT_KINDS``), in either script."""
    named = _named_kind(title)
    if named is not None:
        return named
    body = fold(body[:CONTENT_KIND_CHARS])
    for kind, pattern in _CONTENT_KINDS:
        if pattern.search(body):
            return kind
    return DEFAULT_SECTION_KIND


def heading_title(rest: str) -> str:
    """The title within the text after a heading's numeral."""
    stop = rest.find("。")
    colon = rest.find(":")
    if colon >= 0 and (stop < 0 or colon < stop):
        after = rest[colon + 1:]
        period = after.find("。")
        if not after.strip() or (period >= 0 and after[period + 1:].strip()):
            stop = colon
    title = rest if stop < 0 else rest[:stop]
    return title.strip().rstrip("。:;,").strip()


@dataclass
class _Node:
    number: str
    value: int
    level: int
    title: str
    start: int
    heading_end: int
    children: List["_Node"] = field(default_factory=list)
    end: int = 0
    kind: Optional[str] = None


def _refusal(part: str, text: str) -> Optional[str]:
    """The name of the first NOT_HEADING_RULES rule on ``part`` whose pattern ``text`` holds."""
    for name, pattern in _NOT_RULES[part]:
        if pattern.search(text):
            return name
    return None


def _read(rule: HeadingRule, match: "re.Match[str]", line: str) -> Heading:
    refused = _refusal("line", line)
    rest = match.group("rest").strip()
    refused = refused or _refusal("text", rest)
    if refused:
        return Heading(refused)
    title = heading_title(rest)
    refused = _refusal("title", title)
    if refused:
        return Heading(refused)
    title_end = match.start("rest") + rest.find(title) + len(title)
    return Heading(rule.name, rule.level, match.group("num"), title, title_end)


def read_heading(line: str) -> Heading:
    """Whether a paragraph opens as a heading (before the count of its siblings is asked).

    The rules match the line folded to Simplified script; the title is read as printed."""
    for rule, pattern in _RULES:
        match = pattern.match(line)
        if match:
            folded = fold(line)
            if folded is line:
                return _read(rule, match, line)
            heading = _read(rule, pattern.match(folded) or match, folded)
            if not heading.level:
                return heading
            start = heading.title_end - len(heading.title)
            return dataclasses.replace(heading, title=line[start:heading.title_end])
    return _PLAIN


def find_sections(blocks: Sequence[Block], text_length: int) -> Tuple[Section, ...]:
    """The section tree of a page's blocks."""
    roots: List[_Node] = []
    stack: List[_Node] = []
    for block in blocks:
        if block.kind != "para":
            continue
        heading = read_heading(block.text)
        if not heading.level:
            continue
        level, number, title, title_end = heading.level, heading.number, heading.title, heading.title_end
        depth = len(stack)
        while depth and stack[depth - 1].level >= level:
            depth -= 1
        siblings = stack[depth - 1].children if depth else roots
        previous = next((s.value for s in reversed(siblings) if s.level == level), 0)
        value = numeral_value(number)
        if not (value == previous + 1 or (previous and value == previous + 2)):
            continue
        node = _Node(number, value, level, title, block.span[0], block.span[0] + title_end)
        del stack[depth:]
        siblings.append(node)
        stack.append(node)
    _close(roots, text_length)
    for node in roots:
        if node.level == 1:
            node.kind = _named_kind(node.title) or content_kind(node.title, _body(blocks, node))
    return tuple(_freeze(node) for node in roots)


def _body(blocks: Sequence[Block], node: _Node) -> str:
    """The first CONTENT_KIND_CHARS characters of the paragraphs after ``node``'s heading line."""
    parts: List[str] = []
    size = 0
    for block in blocks:
        if block.kind != "para" or block.span[0] < node.heading_end:
            continue
        if block.span[0] >= node.end or size >= CONTENT_KIND_CHARS:
            break
        parts.append(block.text)
        size += len(block.text)
    return "".join(parts)


def _close(nodes: List[_Node], end: int) -> None:
    for i, node in enumerate(nodes):
        node.end = nodes[i + 1].start if i + 1 < len(nodes) else end
        _close(node.children, node.end)


def _freeze(node: _Node) -> Section:
    return Section(
        number=node.number,
        level=node.level,
        title=node.title,
        kind=node.kind,
        span=(node.start, node.end),
        heading_span=(node.start, node.heading_end),
        children=tuple(_freeze(c) for c in node.children),
    )


# --------------------------------------------------------------------------- looking sections up

class SectionIndex:
    """The innermost section at an offset of the text, and its printed number path.

    The path is the numbers of the sections from the outermost in, joined by ``.``, each
    printed as its level prints it (levels 2 and 4 in parentheses): ``"二"``, ``"三.(一)"``,
    ``"一.(二).1.(3)"``. Built once per report; each look-up is a binary search.
    """

    __slots__ = ("_items", "_starts")

    def __init__(self, sections: Sequence[Section]) -> None:
        self._items: List[Tuple[int, int, str, Tuple[Section, ...]]] = []
        for section in sections:
            self._add(section, (), "")
        self._starts = [item[0] for item in self._items]

    def _add(self, section: Section, chain: Tuple[Section, ...], path: str) -> None:
        chain = chain + (section,)
        part = f"({section.number})" if section.level in (2, 4) else section.number
        path = f"{path}.{part}" if len(chain) > 1 else part
        self._items.append((section.span[0], section.span[1], path, chain))
        for child in section.children:
            self._add(child, chain, path)

    def at(self, offset: int) -> Tuple[Optional[str], Tuple[Section, ...]]:
        """(path, chain of sections outermost first) at ``offset``; (None, ()) outside every section."""
        index = bisect.bisect_right(self._starts, offset) - 1
        while index >= 0:
            start, end, path, chain = self._items[index]
            if start <= offset < end:
                return path, chain
            index -= 1
        return None, ()
