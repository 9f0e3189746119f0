"""A readable outline of one report: what ``zqparse show`` prints, and the HTML Jupyter shows.

Metadata first, then the section tree with each section's own figures under it,
the template tables, the metrics no table shows, the checks that failed, and the warnings.
"""
from __future__ import annotations

from html import escape
from typing import Dict, List, Optional, Tuple

from .model import Figure, Number, Report, Section, TemplateTable

__all__ = ["render", "render_html"]

#: how a heading's numeral is printed, by section level (SCHEMA.md: 1 = 一、 … 5 = ①)
NUMERAL_FORMS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）", 5: "{}"}
INDENT = "  "
#: short column heads for table grids
COLUMN_HEADS = {"natural_person": "person", "business": "business", "research": "research",
                "public_interest": "public", "legal_services": "legal", "other_org": "other"}
BLANK_CELL = "·"


def render(report: Report) -> str:
    """The outline of ``report`` as lines of text."""
    lines: List[str] = []
    lines += _metadata(report)
    lines += _sections(report)
    lines += _tables(report)
    lines += _metrics(report)
    lines += _checks(report)
    if report.warnings:
        lines += ["", f"Warnings ({len(report.warnings)})"]
        lines += [f"{INDENT}! {warning}" for warning in report.warnings]
    return "\n".join(lines) + "\n"


def _metadata(report: Report) -> List[str]:
    meta, source = report.meta, report.source
    where = source.path or source.url or "(text)"
    lines = [meta.title or "(no title)", "=" * min(72, max(8, 2 * len(meta.title or "(no title)")))]
    fields = (
        ("agency", meta.agency),
        ("year", meta.year),
        ("published", meta.published),
        ("family", meta.family),
        ("is report", "yes" if meta.is_report else "no"),
        ("source", where),
        ("url", source.url if source.path and source.url else None),
        ("read as", f"{source.media}, {source.encoding}, {source.bytes} bytes"
                    + (f", {source.undecodable} undecodable" if source.undecodable else "")),
        ("sha256", source.sha256),
        ("counts", f"{sum(1 for _ in report.walk_sections())} sections, {len(report.figures)} figures, "
                   f"{len(report.tables)} tables, {len(report.metrics)} metrics, {len(report.checks)} checks"),
    )
    lines += [f"{name:<10} {value}" for name, value in fields if value is not None]
    return lines


def _heading(section: Section) -> str:
    numeral = NUMERAL_FORMS.get(section.level, "{} ").format(section.number)
    kind = f"  [{section.kind}]" if section.kind else ""
    return f"{numeral}{section.title}{kind}"


def _figure(figure: Figure) -> str:
    subject = f"  {figure.subject}" if figure.subject else ""
    approx = "  (approx.)" if figure.approx else ""
    page = f"  p. {figure.page}" if figure.page is not None else ""
    return f"· {figure.raw}{subject}{approx}{page}"


def _own_figures(report: Report) -> Dict[Optional[int], List[Figure]]:
    """Figures by the id of their innermost section (None: outside every section)."""
    by_section: Dict[Optional[int], List[Figure]] = {}
    for figure in report.figures:
        section = report.section_at(figure.span[0])
        by_section.setdefault(id(section) if section else None, []).append(figure)
    return by_section


def _sections(report: Report) -> List[str]:
    lines = ["", "Sections"]
    if not report.sections:
        return lines + [f"{INDENT}(none found)"]
    figures = _own_figures(report)
    for figure in figures.get(None, ()):
        lines.append(f"{INDENT}{_figure(figure)}")

    def walk(section: Section, depth: int) -> None:
        lines.append(INDENT * depth + _heading(section))
        for figure in figures.get(id(section), ()):
            lines.append(INDENT * (depth + 1) + _figure(figure))
        for child in section.children:
            walk(child, depth + 1)

    for section in report.sections:
        walk(section, 1)
    return lines


def _tables(report: Report) -> List[str]:
    if not report.tables:
        return []
    lines = ["", "Tables"]
    for name, table in report.tables.items():
        lines += _table(name, table)
    return lines


def _table(name: str, table: TemplateTable) -> List[str]:
    blank = sum(1 for cell in table.cells.values() if cell.value is None)
    state = "complete" if table.complete else "incomplete"
    lines = [f"{INDENT}{name} ({table.template}, {state}): {len(table.cells)} cells, {blank} without a number"]
    rows = {row: {column: cell.raw.strip() or BLANK_CELL for column, cell in cells.items()}
            for row, cells in table.rows().items()}
    columns = [tuple(cells) for cells in rows.values()]
    if len(set(columns)) == 1 and len(columns) > 1:  # a grid: every row has the same columns
        heads = [COLUMN_HEADS.get(c, c) for c in columns[0]]
        label = max(len(row) for row in rows)
        widths = [max([len(head)] + [len(cells[c]) for cells in rows.values()]) for head, c in zip(heads, columns[0])]
        lines.append(INDENT * 2 + " " * label + "".join(f"  {h:>{w}}" for h, w in zip(heads, widths)))
        for row, cells in rows.items():
            lines.append(INDENT * 2 + row.ljust(label)
                         + "".join(f"  {cells[c]:>{w}}" for c, w in zip(columns[0], widths)))
    else:
        for row, cells in rows.items():
            lines.append(INDENT * 2 + f"{row}: " + " · ".join(f"{c} {v}" for c, v in cells.items()))
    return lines


def _metrics(report: Report) -> List[str]:
    """The metrics that no table cell shows (those from the prose, and group sums)."""
    shown = {key for table in report.tables.values() for key in table.cells}
    rest = [(key, value) for key, value in report.metrics.items() if key not in shown]
    if not rest:
        return []
    title = "Metrics" if not shown else "Metrics not shown in the tables"
    rows: Dict[str, List[Tuple[str, str, Number]]] = {}
    for key, value in rest:  # requests.denied.natural_person … on one line per row
        row, _, column = key.rpartition(".")
        grouped = column in COLUMN_HEADS or (column == "total" and row.startswith("requests."))
        rows.setdefault(row if grouped else key, []).append((key, column, value))
    lines = ["", f"{title} ({len(rest)})"]
    for row, items in rows.items():
        if len(items) == 1:
            lines.append(f"{INDENT}{items[0][0]} = {items[0][2]}")
        else:
            lines.append(f"{INDENT}{row}: " + " · ".join(f"{COLUMN_HEADS.get(c, c)} {v}" for _, c, v in items))
    return lines


def _checks(report: Report) -> List[str]:
    if not report.checks:
        return []
    failed = [check for check in report.checks if check.ok is False]
    passed = sum(1 for check in report.checks if check.ok)
    undecided = len(report.checks) - passed - len(failed)
    lines = ["", f"Checks: {passed} hold, {len(failed)} fail, {undecided} undecided"]
    for check in failed:
        message = f" — {check.message}" if check.message else ""
        lines.append(f"{INDENT}✗ {check.rule} [{check.where}]: {check.left} ≠ {check.right}{message}")
    return lines


# --------------------------------------------------------------------------- HTML (Jupyter)

#: the style of a cell that a failed check reads
FAILED_CELL_STYLE = "background:#fdd"


def render_html(report: Report) -> str:
    """The report as an HTML fragment (what Jupyter shows for a Report): its metadata, the
    section tree, each template table as a grid — blank cells left visibly empty, cells that a
    failed check reads marked — and the failed checks. Every piece of page text is escaped."""
    meta = report.meta
    failed = [check for check in report.checks if check.ok is False]
    in_failed = {key for check in failed for key in check.keys}
    parts = [f"<div class=\"zqparse-report\"><strong>{escape(meta.title or '(no title)')}</strong>", "<table>"]
    for name, value in (("agency", meta.agency), ("year", meta.year), ("published", meta.published),
                        ("family", meta.family), ("is report", "yes" if meta.is_report else "no"),
                        ("source", report.source.path or report.source.url)):
        if value is not None:
            parts.append(f"<tr><th style=\"text-align:left\">{name}</th><td>{escape(str(value))}</td></tr>")
    parts.append("</table>")
    if report.sections:
        parts.append("<details><summary>Sections</summary>" + _html_sections(report.sections) + "</details>")
    for name, table in report.tables.items():
        parts.append(_html_table(name, table, in_failed))
    if failed:
        parts.append(f"<p>Failed checks ({len(failed)})</p><ul>")
        parts += [f"<li>{escape(check.rule)} {escape(check.where)}: {escape(check.message)}</li>" for check in failed]
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _html_sections(sections: Tuple[Section, ...]) -> str:
    items = []
    for section in sections:
        kind = f" <em>[{escape(section.kind)}]</em>" if section.kind else ""
        children = _html_sections(section.children) if section.children else ""
        items.append(f"<li>{escape(_heading(section))}{kind}{children}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _html_table(name: str, table: TemplateTable, in_failed: set[str]) -> str:
    rows = table.rows()
    columns = list(dict.fromkeys(column for cells in rows.values() for column in cells))
    state = "complete" if table.complete else "incomplete"
    out = [f"<table><caption>{escape(name)} ({escape(table.template)}, {state})</caption><tr><th></th>"]
    out += [f"<th>{escape(COLUMN_HEADS.get(column, column))}</th>" for column in columns]
    out.append("</tr>")
    for row, cells in rows.items():
        out.append(f"<tr><th style=\"text-align:left\">{escape(row)}</th>")
        for column in columns:
            cell = cells.get(column)
            if cell is None:
                out.append("<td></td>")
                continue
            style = f" style=\"{FAILED_CELL_STYLE}\"" if cell.key in in_failed else ""
            shown = escape(cell.raw.strip()) if cell.value is not None or cell.raw.strip() else ""
            out.append(f"<td{style} title=\"{escape(cell.key)}\">{shown}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)
