"""The data model: a parsed report and its parts, as frozen, slotted dataclasses.

Every span is a ``(start, end)`` pair of character offsets into ``Report.text``
(``text[start:end]``). ``Report.to_dict()`` gives the JSON shape of
``SCHEMA.md`` (schema_version 1); the dataclasses may carry more than it shows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple, Union

__all__ = [
    "SCHEMA_VERSION",
    "Span",
    "Number",
    "Source",
    "Meta",
    "Cell",
    "Block",
    "Page",
    "Section",
    "Figure",
    "TableCell",
    "TemplateTable",
    "Check",
    "Report",
]

SCHEMA_VERSION = 1

Span = Tuple[int, int]
Number = Union[int, float]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a report came from and how its bytes were read."""

    path: Optional[str]
    url: Optional[str]
    sha256: str
    encoding: str
    bytes: int
    #: characters that could not be decoded and were replaced by U+FFFD
    undecodable: int = 0
    #: "html" or "text"
    media: str = "html"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "path": self.path,
            "url": self.url,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "bytes": self.bytes,
            "undecodable": self.undecodable,
            "media": self.media,
        }


@dataclass(frozen=True, slots=True)
class Meta:
    """What the report is: its title, issuer, year reported on, date and family."""

    title: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    published: Optional[str] = None  # YYYY-MM-DD
    family: str = "unknown"  # prose | template2019 | template2021 | unknown
    is_report: bool = False

    def to_dict(self) -> Dict[str, Any]:
        return {
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "published": self.published,
            "family": self.family,
            "is_report": self.is_report,
        }


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed table cell: its text and where it stands in ``Report.text``."""

    text: str
    span: Span
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a table of the main content, in document order.

    For a table, ``grid[r][c]`` is the cell covering row ``r`` and column ``c``
    after rowspan/colspan expansion (a spanning cell appears in every slot it
    covers); ``text`` is the table rendered one row per line, cells joined by
    `` | ``.
    """

    kind: str  # "para" | "table"
    text: str
    span: Span
    grid: Tuple[Tuple[Cell, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """The main content of one page: its normalised text and blocks, and what the page says of itself.

    ``head`` holds the page's ``<meta>`` tags by lower-case name and its ``<title>``
    under ``"<title>"``; ``chrome`` is the page's text outside the report body
    (breadcrumbs, date lines, footers), kept for metadata only.
    """

    text: str
    blocks: Tuple[Block, ...]
    head: Mapping[str, str]
    chrome: str
    media: str  # "html" | "text"


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered heading and everything under it up to the next heading of its level or above."""

    number: str
    level: int
    title: str
    kind: Optional[str]
    span: Span  # the whole section, heading included
    heading_span: Span  # the heading's numeral and title
    children: Tuple["Section", ...] = ()

    def to_dict(self) -> Dict[str, Any]:
        return {
            "number": self.number,
            "level": self.level,
            "title": self.title,
            "kind": self.kind,
            "span": list(self.span),
            "heading_span": list(self.heading_span),
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self) -> Iterator["Section"]:
        """This section and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity stated in the running text: 1740条, 7700余条, 71.3%."""

    value: Number
    unit: str
    raw: str
    span: Span
    section: Optional[str] = None  # path of the enclosing section numbers, e.g. "二" or "一.(二)"
    subject: Optional[str] = None
    approx: bool = False

    def to_dict(self) -> Dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "raw": self.raw,
            "span": list(self.span),
            "section": self.section,
            "subject": self.subject,
            "approx": self.approx,
        }


@dataclass(frozen=True, slots=True)
class TableCell:
    """One value cell of a template table, keyed by its canonical metric key.

    ``raw`` is the token as printed ('' for a blank cell); ``value`` is the
    number it states, or ``None`` when it states none (blank, '-', '/', '无').
    """

    key: str
    raw: str
    value: Optional[Number]
    span: Optional[Span] = None

    def to_dict(self) -> Dict[str, Any]:
        return {"raw": self.raw, "value": self.value,
                "span": list(self.span) if self.span else None}


@dataclass(frozen=True, slots=True)
class TemplateTable:
    """A national-template table (表二 proactive, 表三 requests, 表四 review_litigation)."""

    name: str  # proactive | requests | review_litigation
    template: str  # template2019 | template2021
    cells: Tuple[TableCell, ...]
    span: Optional[Span] = None
    complete: bool = True  # every cell of the template was found

    def get(self, key: str) -> Optional[TableCell]:
        for cell in self.cells:
            if cell.key == key:
                return cell
        return None

    def to_dict(self) -> Dict[str, Any]:
        return {
            "template": self.template,
            "span": list(self.span) if self.span else None,
            "complete": self.complete,
            "cells": {c.key: c.to_dict() for c in self.cells},
        }


@dataclass(frozen=True, slots=True)
class Check:
    """An arithmetic identity evaluated on the report; ``ok`` is None when it could not be decided."""

    rule: str
    where: str
    ok: Optional[bool]
    left: Optional[Number]
    right: Optional[Number]
    message: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return {"rule": self.rule, "where": self.where, "ok": self.ok,
                "left": self.left, "right": self.right, "message": self.message}


@dataclass(frozen=True, slots=True)
class Report:
    """One parsed report page. ``to_dict()`` is the stable JSON contract."""

    source: Source
    meta: Meta
    text: str
    sections: Tuple[Section, ...] = ()
    figures: Tuple[Figure, ...] = ()
    tables: Mapping[str, TemplateTable] = field(default_factory=dict)
    metrics: Mapping[str, Number] = field(default_factory=dict)
    checks: Tuple[Check, ...] = ()
    warnings: Tuple[str, ...] = ()
    blocks: Tuple[Block, ...] = ()

    def walk_sections(self) -> Iterator[Section]:
        """Every section of the tree, in document order."""
        for section in self.sections:
            yield from section.walk()

    def section_at(self, offset: int) -> Optional[Section]:
        """The innermost section whose span contains ``offset``."""
        found = None
        for section in self.walk_sections():
            if section.span[0] <= offset < section.span[1]:
                found = section
        return found

    def to_dict(self) -> Dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source.to_dict(),
            "meta": self.meta.to_dict(),
            "text": self.text,
            "sections": [s.to_dict() for s in self.sections],
            "figures": [f.to_dict() for f in self.figures],
            "tables": {name: t.to_dict() for name, t in self.tables.items()},
            "metrics": dict(self.metrics),
            "checks": [c.to_dict() for c in self.checks],
            "warnings": list(self.warnings),
        }

    def to_json(self, *, indent: Optional[int] = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
