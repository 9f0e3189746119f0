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
    "Box",
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
    "Failure",
]

SCHEMA_VERSION = 1

Span = Tuple[int, int]
Number = Union[int, float]
#: where a thing is printed on a document's page: ``(x0, top, x1, bottom)`` in points (1/72 inch)
#: from the page's top-left corner
Box = Tuple[float, float, float, float]


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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Source":
        return cls(path=d.get("path"), url=d.get("url"), sha256=d.get("sha256") or "",
                   encoding=d.get("encoding") or "", bytes=d.get("bytes") or 0,
                   undecodable=d.get("undecodable") or 0, media=d.get("media") or "html")


def _span(value: Any) -> Span:
    return (int(value[0]), int(value[1]))


def _box(value: Any) -> Optional[Box]:
    return None if value is None else (float(value[0]), float(value[1]), float(value[2]), float(value[3]))


def _with_place(out: Dict[str, Any], page: Optional[int], bbox: Optional[Box]) -> Dict[str, Any]:
    """``out`` with ``page`` and ``bbox`` when known: optional fields, absent for HTML and text input."""
    if page is not None:
        out["page"] = page
    if bbox is not None:
        out["bbox"] = list(bbox)
    return out


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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Meta":
        return cls(title=d.get("title"), agency=d.get("agency"), year=d.get("year"), published=d.get("published"),
                   family=d.get("family") or "unknown", is_report=bool(d.get("is_report")))


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed table cell: its text and where it stands in ``Report.text``."""

    text: str
    span: Span
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    #: for a document: the 1-based page the cell is printed on (None for a page or a .docx), and its box
    page: Optional[int] = None
    bbox: Optional[Box] = None


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
    #: for a document: the 1-based page the block starts on (None for a page or a .docx), and its box there
    page: Optional[int] = None
    bbox: Optional[Box] = None


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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Section":
        return cls(number=d["number"], level=d["level"], title=d["title"], kind=d.get("kind"),
                   span=_span(d["span"]), heading_span=_span(d["heading_span"]),
                   children=tuple(cls.from_dict(c) for c in d.get("children") or ()))

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
    #: for a PDF: the 1-based page and the box of the paragraph the figure stands in
    page: Optional[int] = None
    bbox: Optional[Box] = None

    def to_dict(self) -> Dict[str, Any]:
        out = {
            "value": self.value,
            "unit": self.unit,
            "raw": self.raw,
            "span": list(self.span),
            "section": self.section,
            "subject": self.subject,
            "approx": self.approx,
        }
        return _with_place(out, self.page, self.bbox)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Figure":
        return cls(value=d["value"], unit=d["unit"], raw=d["raw"], span=_span(d["span"]), section=d.get("section"),
                   subject=d.get("subject"), approx=bool(d.get("approx")), page=d.get("page"),
                   bbox=_box(d.get("bbox")))


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
    #: for a PDF: the 1-based page the cell is printed on, and its box
    page: Optional[int] = None
    bbox: Optional[Box] = None

    def to_dict(self) -> Dict[str, Any]:
        out = {"raw": self.raw, "value": self.value,
               "span": list(self.span) if self.span else None}
        return _with_place(out, self.page, self.bbox)

    @classmethod
    def from_dict(cls, key: str, d: Mapping[str, Any]) -> "TableCell":
        return cls(key=key, raw=d["raw"], value=d.get("value"), span=_span(d["span"]) if d.get("span") else None,
                   page=d.get("page"), bbox=_box(d.get("bbox")))


@dataclass(frozen=True, slots=True)
class TemplateTable:
    """A national-template table (表二 proactive, 表三 requests, 表四 review_litigation).

    ``cells`` maps each canonical metric key to its cell, in the template's order, as the
    JSON does; ``table[key]`` is ``table.cells[key]``.
    """

    name: str  # proactive | requests | review_litigation
    template: str  # template2019 | template2021
    cells: Mapping[str, TableCell]
    span: Optional[Span] = None
    complete: bool = True  # every cell of the template was found

    def __getitem__(self, key: str) -> TableCell:
        return self.cells[key]

    def __contains__(self, key: object) -> bool:
        return key in self.cells

    def get(self, key: str) -> Optional[TableCell]:
        """The cell of ``key``, or None when the table has none."""
        return self.cells.get(key)

    def rows(self) -> Dict[str, Dict[str, TableCell]]:
        """The cells as the table prints them: row name → column name → cell, in the template's
        order (a key ``requests.new.natural_person`` is row ``new``, column ``natural_person``)."""
        rows: Dict[str, Dict[str, TableCell]] = {}
        prefix = f"{self.name}."
        for key, cell in self.cells.items():
            row, _, column = key.rpartition(".")
            row = row[len(prefix):] if row.startswith(prefix) else row
            rows.setdefault(row or column, {})[column] = cell
        return rows

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame: a row per table row, a column per column, the numbers
        the cells state; a blank cell (or one the table does not have) is NA, never 0.
        Needs pandas (``pip install 'zqparse[pandas]'``)."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("TemplateTable.to_frame needs pandas: pip install 'zqparse[pandas]'") from error
        rows = self.rows()
        columns = list(dict.fromkeys(column for cells in rows.values() for column in cells))
        values = [[cells[c].value if c in cells else None for c in columns] for cells in rows.values()]
        frame = pandas.DataFrame(values, index=list(rows), columns=columns, dtype=object)
        return frame.convert_dtypes()

    def to_dict(self) -> Dict[str, Any]:
        return {
            "template": self.template,
            "span": list(self.span) if self.span else None,
            "complete": self.complete,
            "cells": {key: cell.to_dict() for key, cell in self.cells.items()},
        }

    @classmethod
    def from_dict(cls, name: str, d: Mapping[str, Any]) -> "TemplateTable":
        return cls(name=name, template=d["template"],
                   cells={key: TableCell.from_dict(key, cell) for key, cell in (d.get("cells") or {}).items()},
                   span=_span(d["span"]) if d.get("span") else None, complete=bool(d.get("complete", True)))


@dataclass(frozen=True, slots=True)
class Check:
    """An arithmetic identity evaluated on the report; ``ok`` is None when it could not be decided."""

    rule: str
    where: str
    ok: Optional[bool]
    left: Optional[Number]
    right: Optional[Number]
    message: str = ""
    #: the table cells the identity reads (their metric keys); not in the JSON
    keys: Tuple[str, ...] = ()

    def to_dict(self) -> Dict[str, Any]:
        return {"rule": self.rule, "where": self.where, "ok": self.ok,
                "left": self.left, "right": self.right, "message": self.message}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Check":
        return cls(rule=d["rule"], where=d["where"], ok=d.get("ok"), left=d.get("left"), right=d.get("right"),
                   message=d.get("message") or "")


@dataclass(frozen=True, slots=True, repr=False)
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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Report":
        """The Report a record of ``to_dict()`` (a line of ``zqparse parse``'s JSON) describes.

        What the JSON does not hold stays empty: ``blocks`` and each check's ``keys``.
        Raises ValueError for an error record or a dict that is not a report record.
        """
        if "error" in d:
            raise ValueError(f"an error record, not a report: {d['error'].get('type')}: {d['error'].get('message')}")
        if "source" not in d or "meta" not in d or "text" not in d:
            raise ValueError("not a zqparse report record (it needs source, meta and text)")
        return cls(source=Source.from_dict(d["source"]), meta=Meta.from_dict(d["meta"]), text=d["text"],
                   sections=tuple(Section.from_dict(s) for s in d.get("sections") or ()),
                   figures=tuple(Figure.from_dict(f) for f in d.get("figures") or ()),
                   tables={name: TemplateTable.from_dict(name, t) for name, t in (d.get("tables") or {}).items()},
                   metrics=dict(d.get("metrics") or {}),
                   checks=tuple(Check.from_dict(c) for c in d.get("checks") or ()),
                   warnings=tuple(d.get("warnings") or ()))

    def __repr__(self) -> str:
        failed = sum(1 for check in self.checks if check.ok is False)
        who = " ".join(str(part) for part in (self.meta.agency, self.meta.year) if part is not None) or "?"
        kind = self.meta.family if self.meta.is_report else "not a report"
        return (f"<Report {who} ({kind}): {sum(1 for _ in self.walk_sections())} sections, "
                f"{len(self.figures)} figures, {len(self.tables)} tables, {len(self.metrics)} metrics, "
                f"{failed} failed checks>")

    def _repr_html_(self) -> str:
        """The report as HTML for Jupyter: metadata, sections, template tables, failed checks."""
        from .show import render_html  # presentation lives with the outline printer

        return render_html(self)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that gave no report: where it came from, and the documented error it gave
    (the error record of a bulk run: ``{"source": …, "error": {"type", "message"}}``)."""

    path: Optional[str]
    url: Optional[str]
    sha256: Optional[str]
    error_type: str
    message: str

    def to_dict(self) -> Dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": {"path": self.path, "url": self.url, "sha256": self.sha256},
            "error": {"type": self.error_type, "message": self.message},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Failure":
        source, error = d.get("source") or {}, d.get("error") or {}
        return cls(path=source.get("path"), url=source.get("url"), sha256=source.get("sha256"),
                   error_type=str(error.get("type")), message=str(error.get("message")))
