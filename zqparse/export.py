"""Exports of parsed reports: JSON lines, tidy CSV and pandas DataFrames.

Every export works on *records*: ``Report.to_dict()`` dicts, or error records
``{"source": {...}, "error": {"type", "message"}}``, as one line of
``zqparse parse --format jsonl`` holds them. A :class:`~zqparse.model.Report` is
turned into its record first.

Tidy kinds (one row per thing, the report's identity repeated on every row):

* ``reports``  — one row per input, errors and non-reports included (the index of a run);
* ``metrics``  — one row per canonical metric: path, agency, year, family, key, value;
* ``figures``  — one row per figure of the running text;
* ``sections`` — one row per section heading, with its parent, to rebuild the tree;
* ``checks``   — one row per arithmetic check.

``metrics``, ``figures``, ``sections`` and ``checks`` hold rows of reports only
(``meta.is_report`` true): error records and pages that are not reports give none.
"""
from __future__ import annotations

import csv
import io
import json
import os
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = ["Record", "KINDS", "DEFAULT_KIND", "COLUMNS", "rows", "csv_header", "csv_rows", "render_jsonl", "render_json", "CsvRender",
           "read_jsonl", "read_records", "load", "records", "to_dataframe", "output_keys"]

#: one report as JSON-ready values (``Report.to_dict()``), or an error record
Record = Dict[str, Any]
Row = Tuple[Any, ...]

#: columns of each tidy kind, in order
COLUMNS: Dict[str, Tuple[str, ...]] = {
    "reports": ("path", "sha256", "url", "title", "agency", "year", "published", "family", "is_report",
                "sections", "figures", "tables", "metrics", "checks_failed", "warnings",
                "error_type", "error_message"),
    "metrics": ("path", "agency", "year", "family", "key", "value"),
    "figures": ("path", "agency", "year", "family", "value", "unit", "subject", "section",
                "span_start", "span_end", "raw", "approx", "page"),
    "sections": ("path", "agency", "year", "family", "order", "parent", "level", "number", "title", "kind",
                 "span_start", "span_end"),
    "checks": ("path", "agency", "year", "family", "rule", "where", "ok", "left", "right", "message"),
}
KINDS = tuple(COLUMNS)
#: the tidy kind written when none is asked for (``to_dataframe``, ``zqparse parse --format csv``)
DEFAULT_KIND = "metrics"

#: pandas dtypes that differ from what pandas infers (nullable integers and booleans)
DTYPES: Dict[str, Dict[str, str]] = {
    "reports": {"year": "Int64", "is_report": "boolean", "sections": "Int64", "figures": "Int64",
                "tables": "Int64", "metrics": "Int64", "checks_failed": "Int64", "warnings": "Int64"},
    "metrics": {"year": "Int64", "value": "float64"},
    "figures": {"year": "Int64", "value": "float64", "span_start": "Int64", "span_end": "Int64",
                "approx": "boolean", "page": "Int64"},
    "sections": {"year": "Int64", "order": "Int64", "parent": "Int64", "level": "Int64",
                 "span_start": "Int64", "span_end": "Int64"},
    "checks": {"year": "Int64", "ok": "boolean", "left": "float64", "right": "float64"},
}


# --------------------------------------------------------------------------- rows

def _identity(record: Record) -> Row:
    meta = record.get("meta") or {}
    return (record["source"].get("path"), meta.get("agency"), meta.get("year"), meta.get("family"))


def _is_report(record: Record) -> bool:
    return "error" not in record and bool((record.get("meta") or {}).get("is_report"))


def _report_rows(record: Record) -> Iterator[Row]:
    source = record.get("source") or {}
    error = record.get("error")
    if error is not None:
        yield (source.get("path"), source.get("sha256"), source.get("url")) + (None,) * 12 + (
            error.get("type"), error.get("message"))
        return
    meta = record["meta"]
    sections = sum(1 for _ in _walk(record.get("sections") or ()))
    failed = sum(1 for check in record.get("checks") or () if check.get("ok") is False)
    yield (source.get("path"), source.get("sha256"), source.get("url"), meta.get("title"), meta.get("agency"),
           meta.get("year"), meta.get("published"), meta.get("family"), meta.get("is_report"),
           sections, len(record.get("figures") or ()), len(record.get("tables") or {}),
           len(record.get("metrics") or {}), failed, len(record.get("warnings") or ()), None, None)


def _metric_rows(record: Record) -> Iterator[Row]:
    who = _identity(record)
    for key, value in (record.get("metrics") or {}).items():
        yield who + (key, value)


def _figure_rows(record: Record) -> Iterator[Row]:
    who = _identity(record)
    for figure in record.get("figures") or ():
        start, end = figure.get("span") or (None, None)
        yield who + (figure.get("value"), figure.get("unit"), figure.get("subject"), figure.get("section"),
                     start, end, figure.get("raw"), figure.get("approx"), figure.get("page"))


def _walk(sections: Iterable[Record], parent: Optional[int] = None,
          counter: Optional[List[int]] = None) -> Iterator[Tuple[int, Optional[int], Record]]:
    counter = counter if counter is not None else [0]
    for section in sections:
        order = counter[0]
        counter[0] += 1
        yield order, parent, section
        yield from _walk(section.get("children") or (), order, counter)


def _section_rows(record: Record) -> Iterator[Row]:
    who = _identity(record)
    for order, parent, section in _walk(record.get("sections") or ()):
        start, end = section.get("span") or (None, None)
        yield who + (order, parent, section.get("level"), section.get("number"), section.get("title"),
                     section.get("kind"), start, end)


def _check_rows(record: Record) -> Iterator[Row]:
    who = _identity(record)
    for check in record.get("checks") or ():
        yield who + (check.get("rule"), check.get("where"), check.get("ok"), check.get("left"),
                     check.get("right"), check.get("message"))


_ROWS: Dict[str, Callable[[Record], Iterator[Row]]] = {
    "reports": _report_rows,
    "metrics": _metric_rows,
    "figures": _figure_rows,
    "sections": _section_rows,
    "checks": _check_rows,
}


def rows(record: Record, kind: str, *, include_non_reports: bool = False) -> List[Row]:
    """The rows of one record for a tidy ``kind``, as Python values in :data:`COLUMNS` order."""
    if kind not in _ROWS:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    if kind != "reports" and not (_is_report(record) or (include_non_reports and "error" not in record)):
        return []
    return list(_ROWS[kind](record))


# --------------------------------------------------------------------------- text renderings

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def csv_header(kind: str) -> str:
    """The header line of a CSV of ``kind``."""
    return _csv_text([COLUMNS[kind]])


def csv_rows(record: Record, kind: str) -> str:
    """The CSV lines of one record (empty for a record with no rows of ``kind``)."""
    return _csv_text(rows(record, kind))


def _csv_text(table: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in table:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


class CsvRender:
    """A picklable renderer of one record as CSV lines of one kind (for worker processes)."""

    def __init__(self, kind: str) -> None:
        if kind not in COLUMNS:
            raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
        self.kind = kind

    def __call__(self, record: Record) -> str:
        return csv_rows(record, self.kind)


def render_jsonl(record: Mapping[str, Any]) -> str:
    """One record (or a crawl's manifest entry) as one line of JSON."""
    return json.dumps(record, ensure_ascii=False) + "\n"


def render_json(record: Record) -> str:
    """One record as indented JSON (no trailing newline)."""
    return json.dumps(record, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- reading back

def read_jsonl(path: Union[str, "os.PathLike[str]"]) -> Iterator[Record]:
    """The records of a JSON-lines file; a line that is not a complete JSON object (a run cut short) is skipped."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield record


def read_records(path: Union[str, "os.PathLike[str]"]) -> Iterator[Record]:
    """The records of a file of ``zqparse parse`` output: JSON lines (``--format jsonl``), or one
    JSON document — a record, or an array of records (``--format json``).

    Raises :class:`~zqparse.errors.InputError` for a file that is neither, or that holds no
    record (a page, a CSV: parse pages with :func:`zqparse.parse` first). A JSON-lines file cut
    short (an interrupted run) gives the records before the cut.
    """
    from .errors import InputError

    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(1)
            while head.isspace():
                head = handle.read(1)
            handle.seek(0)
            if head == "[":
                document = _whole_json(handle.read(), path)
                if not isinstance(document, list) or not all(_is_record(item) for item in document):
                    raise InputError(f"{path}: a JSON array, but not of zqparse records")
                yield from document
                return
            found = False
            for record in read_jsonl(path):
                if not _is_record(record):
                    if found:
                        raise InputError(f"{path}: a line that is not a zqparse record among records")
                    break
                found = True
                yield record
            if found:
                return
            handle.seek(0)
            document = _whole_json(handle.read(), path) if head == "{" else None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not JSON or JSON lines of zqparse records (not UTF-8 text)") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from error
    if isinstance(document, dict) and _is_record(document):
        yield document  # one record printed over several lines (--format json of one input)
        return
    raise InputError(f"{path} is not JSON or JSON lines of zqparse records: give the output of zqparse parse "
                     "(.json or .jsonl), or parse pages first")


def _whole_json(text: str, path: Any) -> Any:
    from .errors import InputError

    try:
        return json.loads(text)
    except ValueError as error:
        raise InputError(f"{path} is not valid JSON ({error})") from None


def _is_record(value: Any) -> bool:
    """A record of zqparse's output: a report's ``to_dict()`` or an error record."""
    return isinstance(value, dict) and "source" in value and ("meta" in value or "error" in value)


def load(path: Union[str, "os.PathLike[str]"]) -> Iterator[Any]:
    """Typed records back from a file of ``zqparse parse`` output (JSON or JSON lines), in order:
    a :class:`~zqparse.model.Report` for each report record, a :class:`~zqparse.model.Failure`
    for each error record."""
    from .model import Failure, Report

    for record in read_records(path):
        yield Failure.from_dict(record) if "error" in record else Report.from_dict(record)


def output_keys(path: Union[str, "os.PathLike[str]"], fmt: str) -> Iterator[Tuple[Optional[str], Optional[str]]]:
    """(key, sha256) of every input an output file already holds: path (or url) and the file's hash.

    ``fmt`` is ``jsonl`` or ``csv`` (a CSV with ``path`` and ``sha256`` columns: kind ``reports``).
    """
    if fmt == "jsonl":
        for record in read_jsonl(path):
            source = record.get("source") or {}
            key = source.get("path") if source.get("path") is not None else source.get("url")
            yield key, source.get("sha256")
    elif fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if None in row or row.get("path") is None:  # a line cut short
                    continue
                key = row["path"] or row.get("url") or None
                yield key, row.get("sha256") or None
    else:
        raise ValueError(f"cannot resume a {fmt} output")


def records(reports: Any) -> Iterator[Record]:
    """Records from Reports, record dicts, an iterable of either, or the path of a JSON-lines file."""
    from .model import Report

    if isinstance(reports, (str, os.PathLike)):
        yield from read_records(reports)
        return
    if isinstance(reports, (Report, dict)):
        reports = (reports,)
    for item in reports:
        if isinstance(item, Report):
            yield item.to_dict()
        elif isinstance(item, dict):
            yield item
        else:
            raise TypeError(f"expected a Report or a record dict, got {type(item).__name__}")


# --------------------------------------------------------------------------- pandas

def to_dataframe(reports: Any, kind: str = DEFAULT_KIND, *, include_non_reports: bool = False) -> Any:
    """A pandas DataFrame of one tidy ``kind`` (metrics, figures, sections, checks, reports).

    ``reports`` is Reports, record dicts (lines of ``zqparse parse --format jsonl``), or the
    path of such a JSON-lines file. Needs pandas (``pip install 'zqparse[pandas]'``).
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    try:
        import pandas
    except ImportError:
        raise ImportError("zqparse.to_dataframe needs pandas, which is not installed: "
                          "pip install 'zqparse[pandas]'") from None
    seen = 0
    table: List[Row] = []
    for record in records(reports):
        seen += 1
        table.extend(rows(record, kind, include_non_reports=include_non_reports))
    if not seen:
        import warnings

        warnings.warn("to_dataframe got no records: an empty input, or a generator already used up "
                      "(parse_many yields its records once: keep them with list(...))", stacklevel=2)
    frame = pandas.DataFrame.from_records(table, columns=list(COLUMNS[kind]))
    for column, dtype in DTYPES[kind].items():
        if dtype == "float64":
            frame[column] = pandas.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = frame[column].astype(dtype)
    return frame
