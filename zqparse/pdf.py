"""PDF documents: the text layer read with its positions, rebuilt into paragraphs and ruled tables.

pypdfium2 (PDFium) gives every character with its box and every drawn path; nothing
here guesses from the plain text. Per page:

* **tables** come from the drawn ruling lines: visible horizontal and vertical strokes
  (and thin filled bars) that meet form a lattice; a cell is a lattice rectangle no
  ruling divides, so merged cells get their rowspan/colspan; characters fall into the
  cell holding their centre, read line by line (a vertical side label, one character a
  line, reads top to bottom). White or invisible paths and filled backgrounds are not
  rulings.
* **lines** are the remaining characters grouped by their vertical position; a line
  that runs to the right margin continues into the next unless that one is indented or
  starts with a heading numeral (一、 (一) 1. …), also over a page break.
* **page furniture** goes: page numbers ("- 3 -", "第3页") in the top or bottom band,
  and lines repeated there on most pages (running headers and footers).

A table that ends one page and starts the next with the same left and right edges is
one table; a row label split by the break (（四）无 | 法提供) is joined into one cell, a
header row repeated on the next page is dropped. Every item keeps its page (1-based)
and box (:data:`~zqparse.model.Box`, points from the page's top-left corner).
"""
from __future__ import annotations

import ctypes
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from statistics import median
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .documents import DocCell, DocItem, Document, metadata_date
from .errors import CorruptDocumentError, EncryptedDocumentError, NoTextLayerError
from .model import Box
from .normalize import normalize
from .vocab import HEADING_RULES

__all__ = ["read_pdf"]

#: distances, in points, under which two rulings or edges are one
SNAP = 2.0
#: rulings at most this far apart across are one line drawn twice (or by two cells)
ALIGN = 1.0
#: a filled path thinner than this is a ruling, not a background
THIN = 2.5
#: a ruling shorter than this is a tick, not a table border
MIN_RULING = 4.0
#: a colour channel at or above this (of 255) on all three channels is white: not a visible ruling
WHITE = 245
#: the top and bottom share of the page where page numbers and running headers/footers stand
FURNITURE_BAND = 0.12
#: a line repeated in the band on at least this share of pages (and on two or more) is a running header/footer
REPEATED_SHARE = 0.5
#: a character's loose box over this many times the page's usual height is not its own (see _chars)
ODD_BOX = 4.0
#: a gap between characters wider than this share of their height is a space
SPACE_GAP = 0.3

#: a title is printed over at most this many centred lines
TITLE_LINES = 3
#: page numbers as printed: "- 3 -", "— 3 —", "3", "第 3 页", "第3页 共6页", "3/6"
PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·]*(?:第\s*)?[0-9]{1,4}\s*(?:页)?\s*(?:(?:/|／|共)\s*[0-9]{1,4}\s*页?)?[\s\-—–－·]*$")
#: a line starting with a heading numeral (vocab.HEADING_RULES, on the normalised line) starts a paragraph
_HEADING_START = tuple(re.compile(rule.pattern) for rule in HEADING_RULES)
#: cell text that is a number: never joined with the cell above it over a page break
_NUMBER = re.compile(r"^[0-9.,，%％\s\-—]*$")
_DIGITS = re.compile(r"[0-9]+")

#: PDFium is not thread-safe: one document is read at a time in a process
_LOCK = threading.Lock()

Char = Tuple[str, float, float, float, float]  # text, x0, top, x1, bottom
Segment = Tuple[float, float, float]  # position across, start along, end along


def read_pdf(data: bytes) -> Document:
    """Read a PDF's paragraphs and tables.

    Raises :class:`~zqparse.errors.EncryptedDocumentError` (a password is needed),
    :class:`~zqparse.errors.CorruptDocumentError` (truncated or damaged) and
    :class:`~zqparse.errors.NoTextLayerError` (no text: a scanned document).
    """
    if b"%%EOF" not in data[-4096:]:
        raise CorruptDocumentError("the PDF is truncated (it does not end with %%EOF): download it again")
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise EncryptedDocumentError(
                    "the PDF is encrypted (it needs a password to open): remove the password first") from error
            raise CorruptDocumentError(f"the PDF is damaged and cannot be read ({error})") from error
        try:
            pages = [_read_page(pdf, index) for index in range(len(pdf))]
            created = metadata_date(pdf.get_metadata_value("CreationDate"))
        except pdfium.PdfiumError as error:
            raise CorruptDocumentError(f"the PDF is damaged: a page cannot be read ({error})") from error
        finally:
            pdf.close()
    items = _items(pages)
    if not any(item.text or any(cell.text for row in item.rows for cell in row) for item in items):
        # no characters, or only page furniture (a scan with its page numbers stamped on as text)
        raise NoTextLayerError("no text layer (a scanned document): run OCR on it first")
    title = _title(pages[0].lines) if pages else ""
    return Document(media="pdf", items=tuple(items), pages=len(pages), created=created,
                    head={"title": title} if title else {})


# --------------------------------------------------------------------------- one page


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class _Cell:
    """A table cell while a table is built (spans in lattice units of its part)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box
    page: int
    chars: List[Char] = field(default_factory=list)
    text: str = ""


@dataclass(slots=True)
class _Table:
    """One ruled table on one page (a part of a table continued over page breaks)."""

    xs: List[float]
    ys: List[float]
    cells: List[_Cell]
    owner: List[List[int]]  # lattice row → lattice column → index into cells
    page: int

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    lines: List[_Line]
    tables: List[_Table]


def _read_page(pdf: pdfium.PdfDocument, index: int) -> _Page:
    page = pdf[index]
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, height)
        finally:
            textpage.close()
        horizontal, vertical = _rulings(page, height)
    finally:
        page.close()
    tables = _tables(horizontal, vertical, index + 1)
    loose: List[Char] = []
    for char in chars:
        if not _place_in_table(char, tables):
            loose.append(char)
    for table in tables:
        for cell in table.cells:
            cell.text = _cell_text(cell.chars)
    return _Page(index + 1, height, _lines(loose, index + 1), tables)


def _chars(textpage: pdfium.PdfTextPage, height: float) -> List[Char]:
    """The page's printed characters with their boxes (PDFium's generated spaces and line breaks left out).

    A character's loose box (its font's full height) lines characters up; where it is over
    :data:`ODD_BOX` times the page's usual height (PDFium's box for vertical writing,
    Identity-V fonts), the character's tight box is used instead.
    """
    found: List[Tuple[int, str, Box]] = []
    for i in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        if code <= 32 or 0xD800 <= code <= 0xDFFF or code == 0xFFFE:
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right > left and top > bottom:
            found.append((i, chr(code), (left, height - top, right, height - bottom)))
    if not found:
        return []
    usual = median(box[3] - box[1] for _, _, box in found)
    out: List[Char] = []
    for i, text, (x0, top, x1, bottom) in found:
        if bottom - top > ODD_BOX * usual:
            left, low, right, high = textpage.get_charbox(i)
            x0, top, x1, bottom = left, height - high, right, height - low
        out.append((text, x0, top, x1, bottom))
    return out


# --------------------------------------------------------------------------- rulings


def _rulings(page: pdfium.PdfPage, height: float) -> Tuple[List[Segment], List[Segment]]:
    """Visible horizontal ``(y, x0, x1)`` and vertical ``(x, y0, y1)`` rulings, top-left origin, merged."""
    horizontal: List[Segment] = []
    vertical: List[Segment] = []
    for handle, matrix in _paths(page):
        stroked, filled = _visible(handle)
        if not (stroked or filled):
            continue
        for points, closed in _subpaths(handle, matrix):
            xs = [x for x, _ in points]
            ys = [height - y for _, y in points]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            if filled and min(x1 - x0, y1 - y0) <= THIN:  # a thin filled bar is a ruling
                if x1 - x0 >= y1 - y0:
                    horizontal.append(((y0 + y1) / 2, x0, x1))
                else:
                    vertical.append(((x0 + x1) / 2, y0, y1))
                continue
            if not stroked:
                continue  # a filled area (cell shading, a background) is not a ruling
            ring = list(zip(xs, ys))
            if closed:
                ring.append(ring[0])
            for (ax, ay), (bx, by) in zip(ring, ring[1:]):
                if abs(ay - by) <= SNAP / 2:
                    horizontal.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) <= SNAP / 2:
                    vertical.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
    return _merge(horizontal), _merge(vertical)


Matrix = Tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(handle: object) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(handle, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _paths(page: pdfium.PdfPage) -> Iterator[Tuple[object, Matrix]]:
    """Every path object of the page with the matrix of the forms (XObjects) around it."""
    stack: List[Tuple[object, Matrix]] = [(obj.raw, _IDENTITY) for obj in page.get_objects(max_depth=1)]
    stack.reverse()
    while stack:
        handle, outer = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield handle, outer
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = _compose(_matrix(handle), outer)
            count = pdfium_c.FPDFFormObj_CountObjects(handle)
            stack.extend((pdfium_c.FPDFFormObj_GetObject(handle, i), inner) for i in reversed(range(count)))


def _visible(handle: object) -> Tuple[bool, bool]:
    """(stroked visibly, filled visibly): drawn, not transparent, not white."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return False, False
    return (bool(stroke.value) and _inked(pdfium_c.FPDFPageObj_GetStrokeColor, handle),
            fill_mode.value != 0 and _inked(pdfium_c.FPDFPageObj_GetFillColor, handle))


def _inked(getter: Callable[..., int], handle: object) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(handle, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True  # a colour PDFium cannot tell (a pattern): count it as ink
    return a.value > 0 and min(r.value, g.value, b.value) < WHITE


def _subpaths(handle: object, outer: Matrix) -> Iterator[Tuple[List[Tuple[float, float]], bool]]:
    """Each subpath's points on the page (before the y flip) and whether it is closed."""
    a, b, c, d, e, f = _compose(_matrix(handle), outer)
    points: List[Tuple[float, float]] = []
    closed = False
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(handle)):
        segment = pdfium_c.FPDFPath_GetPathSegment(handle, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO and points:
            yield points, closed
            points, closed = [], False
        points.append((a * x.value + c * y.value + e, b * x.value + d * y.value + f))
        closed = closed or bool(pdfium_c.FPDFPathSegment_GetClose(segment))
    if points:
        yield points, closed


def _merge(segments: List[Segment]) -> List[Segment]:
    """Collinear rulings (at most ALIGN apart) that touch or overlap joined into one; ticks dropped."""
    out: List[Segment] = []
    cluster: List[Segment] = []
    for segment in sorted(segments) + [(float("inf"), 0.0, 0.0)]:
        if cluster and segment[0] - cluster[-1][0] > ALIGN:
            pos = median(s[0] for s in cluster)
            merged: List[Segment] = []
            for _, start, end in sorted(cluster, key=lambda s: s[1]):
                if merged and start <= merged[-1][2] + SNAP:
                    merged[-1] = (pos, merged[-1][1], max(merged[-1][2], end))
                else:
                    merged.append((pos, start, end))
            out.extend(s for s in merged if s[2] - s[1] >= MIN_RULING)
            cluster = []
        cluster.append(segment)
    return out


# --------------------------------------------------------------------------- tables


def _tables(horizontal: List[Segment], vertical: List[Segment], page: int) -> List[_Table]:
    """The ruled tables of a page, top to bottom: groups of rulings that meet, cut into cells."""
    groups = _connected(horizontal, vertical)
    tables = [t for t in (_lattice(h, v, page) for h, v in groups) if t is not None]
    return sorted(tables, key=lambda t: t.ys[0])


def _connected(horizontal: List[Segment], vertical: List[Segment]) -> List[Tuple[List[Segment], List[Segment]]]:
    """Rulings grouped by meeting: a horizontal and a vertical one that cross or touch are in one group."""
    parent = list(range(len(horizontal) + len(vertical)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(horizontal):
        for j, (x, vy0, vy1) in enumerate(vertical):
            if hx0 - SNAP <= x <= hx1 + SNAP and vy0 - SNAP <= y <= vy1 + SNAP:
                parent[root(i)] = root(len(horizontal) + j)
    groups: Dict[int, Tuple[List[Segment], List[Segment]]] = {}
    for i, segment in enumerate(horizontal):
        groups.setdefault(root(i), ([], []))[0].append(segment)
    for j, segment in enumerate(vertical):
        groups.setdefault(root(len(horizontal) + j), ([], []))[1].append(segment)
    return list(groups.values())


def _positions(values: Sequence[float]) -> List[float]:
    """Distinct positions: values closer than SNAP are one."""
    out: List[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > SNAP:
            out.append(value)
    return out


def _covers(segments: List[Segment], pos: float, start: float, end: float) -> bool:
    """True when a ruling at ``pos`` runs over the middle of ``start``–``end``."""
    middle = (start + end) / 2
    return any(abs(p - pos) <= SNAP and s - SNAP <= middle <= e + SNAP for p, s, e in segments)


def _open_edges(positions: List[float], across: List[Segment]) -> List[float]:
    """``positions`` with an edge added where two or more rulings across them run on past the
    first or last one: the open bottom of a row split by a page break, an open side."""
    starts = sorted(start for _, start, _ in across if start < positions[0] - 2 * SNAP)
    ends = sorted(end for _, _, end in across if end > positions[-1] + 2 * SNAP)
    if len(starts) >= 2:
        positions = [starts[1]] + positions  # the second-outermost: two rulings reach it
    if len(ends) >= 2:
        positions = positions + [ends[-2]]
    return positions


def _lattice(horizontal: List[Segment], vertical: List[Segment], page: int) -> Optional[_Table]:
    """A table from one group of rulings, or None when they do not enclose two cells."""
    if len(horizontal) < 2 or len(vertical) < 2:
        return None
    ys = _open_edges(_positions([y for y, _, _ in horizontal]), vertical)
    xs = _open_edges(_positions([x for x, _, _ in vertical]), horizontal)
    if len(ys) < 2 or len(xs) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    owner = [[-1] * cols for _ in range(rows)]
    cells: List[_Cell] = []
    for r in range(rows):
        for c in range(cols):
            if owner[r][c] >= 0:
                continue
            width = 1  # grow right while no vertical ruling divides the row
            while c + width < cols and owner[r][c + width] < 0 and not _covers(vertical, xs[c + width], ys[r], ys[r + 1]):
                width += 1
            height = 1  # grow down while no horizontal ruling divides the columns
            while r + height < rows and all(
                    owner[r + height][c + k] < 0 and not _covers(horizontal, ys[r + height], xs[c + k], xs[c + k + 1])
                    for k in range(width)):
                height += 1
            for dr in range(height):
                for dc in range(width):
                    owner[r + dr][c + dc] = len(cells)
            cells.append(_Cell(r, c, height, width, (xs[c], ys[r], xs[c + width], ys[r + height]), page))
    if len(cells) < 2:
        return None
    return _Table(xs, ys, cells, owner, page)


def _place_in_table(char: Char, tables: List[_Table]) -> bool:
    """Put a character into the table cell holding its centre; False when it is in no table."""
    x = (char[1] + char[3]) / 2
    y = (char[2] + char[4]) / 2
    for table in tables:
        if table.xs[0] <= x <= table.xs[-1] and table.ys[0] <= y <= table.ys[-1]:
            r = min(bisect_right(table.ys, y) - 1, len(table.ys) - 2)
            c = min(bisect_right(table.xs, x) - 1, len(table.xs) - 2)
            table.cells[table.owner[r][c]].chars.append(char)
            return True
    return False


def _cell_text(chars: List[Char]) -> str:
    """A cell's text: its lines top to bottom (a vertical label is one character a line)."""
    return _join([text for text, *_ in _group_lines(chars)])


# --------------------------------------------------------------------------- lines


def _group_lines(chars: List[Char]) -> List[Tuple[str, float, float, float, float]]:
    """Characters grouped into lines, top to bottom: (text, x0, top, x1, bottom)."""
    ordered = sorted(chars, key=lambda ch: (ch[2] + ch[4]) / 2)
    groups: List[List[Char]] = []
    for char in ordered:
        middle = (char[2] + char[4]) / 2
        if groups:
            first = groups[-1][0]
            if first[2] <= middle <= first[4]:
                groups[-1].append(char)
                continue
        groups.append([char])
    out = []
    for group in groups:
        group.sort(key=lambda ch: ch[1])
        parts: List[str] = []
        for i, (text, x0, top, x1, bottom) in enumerate(group):
            if i and x0 - group[i - 1][3] > SPACE_GAP * (bottom - top):
                parts.append(" ")
            parts.append(text)
        out.append(("".join(parts), group[0][1], min(ch[2] for ch in group), max(ch[3] for ch in group),
                     max(ch[4] for ch in group)))
    return out


def _join(lines: List[str]) -> str:
    """Lines of one paragraph or cell as one string: no space where either side is CJK."""
    out = ""
    for line in lines:
        if out and line and out[-1].isascii() and line[0].isascii() and out[-1].isalnum() and line[0].isalnum():
            out += " "
        out += line
    return out


def _lines(chars: List[Char], page: int) -> List[_Line]:
    return [_Line(text, x0, top, x1, bottom, page) for text, x0, top, x1, bottom in _group_lines(chars)]


# --------------------------------------------------------------------------- the document


def _items(pages: List[_Page]) -> List[DocItem]:
    """The document's paragraphs and tables in reading order, furniture dropped, tables joined over breaks."""
    _drop_furniture(pages)
    left, right = _margins([line for page in pages for line in page.lines])
    flow: List[object] = []  # _Line | List[_Table] (a table and its continuations)
    for page in pages:
        entries: List[Tuple[float, object]] = [(line.top, line) for line in page.lines]
        entries += [(table.ys[0], table) for table in page.tables]
        entries.sort(key=lambda e: e[0])
        for _, entry in entries:
            previous = flow[-1] if flow else None
            if (isinstance(entry, _Table) and isinstance(previous, list) and entry is entries[0][1]
                    and _continues(previous[-1], entry)):
                previous.append(entry)
            else:
                flow.append([entry] if isinstance(entry, _Table) else entry)
    items: List[DocItem] = []
    paragraph: List[_Line] = []
    for entry in flow:
        if isinstance(entry, _Line):
            if paragraph and not _runs_on(paragraph[-1], entry, left, right):
                items.append(_paragraph(paragraph))
                paragraph = []
            paragraph.append(entry)
            continue
        if paragraph:
            items.append(_paragraph(paragraph))
            paragraph = []
        assert isinstance(entry, list)
        items.append(_table_item(entry))
    if paragraph:
        items.append(_paragraph(paragraph))
    return items


def _drop_furniture(pages: List[_Page]) -> None:
    """Page numbers and running headers/footers out of each page's lines."""
    def in_band(line: _Line, page: _Page) -> bool:
        return line.top < FURNITURE_BAND * page.height or line.bottom > (1 - FURNITURE_BAND) * page.height

    counts: Dict[str, int] = {}
    for page in pages:
        seen = {_DIGITS.sub("#", line.text) for line in page.lines if in_band(line, page)}
        for key in seen:
            counts[key] = counts.get(key, 0) + 1
    repeated = {key for key, n in counts.items() if n >= 2 and n >= REPEATED_SHARE * len(pages)}
    for page in pages:
        page.lines = [line for line in page.lines
                      if not (in_band(line, page) and (PAGE_NUMBER.match(line.text)
                                                       or _DIGITS.sub("#", line.text) in repeated))]


def _margins(lines: List[_Line]) -> Tuple[float, float]:
    """The text's left and right margins: where most lines start, and where full lines end."""
    full = [line for line in lines if len(line.text) >= 8] or lines
    if not full:
        return 0.0, 0.0
    starts: Dict[int, int] = {}
    for line in full:
        key = round(line.x0 / SNAP)
        starts[key] = starts.get(key, 0) + 1
    left = min(line.x0 for line in full if round(line.x0 / SNAP) == max(starts, key=lambda k: starts[k]))
    ends = sorted(line.x1 for line in full)
    right = ends[int(0.8 * (len(ends) - 1))]
    return left, right


def _title(lines: List[_Line]) -> str:
    """The title: the centred lines that open the first page, joined (淮安市人民政府 / 2024年…年度报告)."""
    left, right = _margins(lines)
    centre = (left + right) / 2
    title: List[str] = []
    for line in lines[:TITLE_LINES + 1]:
        if abs((line.x0 + line.x1) / 2 - centre) > line.size or line.x1 > right - 2 * line.size:
            break
        title.append(line.text)
    return _join(title) if 0 < len(title) <= TITLE_LINES else ""


def _runs_on(line: _Line, following: _Line, left: float, right: float) -> bool:
    """True when ``following`` continues the paragraph ``line`` ends: ``line`` runs to the right
    margin, ``following`` is not indented, not a heading, in the same type size, and next below
    (or first on the next page)."""
    size = line.size
    if line.x1 < right - 1.5 * size or following.x0 > left + 0.5 * size:
        return False
    if abs(following.size - size) > 0.25 * size:
        return False
    if following.page == line.page and not 0 <= following.top - line.bottom <= 1.5 * size:
        return False
    if following.page > line.page + 1:
        return False
    start = normalize(following.text[:16])
    return not any(pattern.match(start) for pattern in _HEADING_START)


def _paragraph(lines: List[_Line]) -> DocItem:
    first = lines[0]
    box = (min(line.x0 for line in lines if line.page == first.page), first.top,
           max(line.x1 for line in lines if line.page == first.page),
           max(line.bottom for line in lines if line.page == first.page))
    return DocItem("para", text=_join([line.text for line in lines]), page=first.page, bbox=_rounded(box))


def _continues(table: _Table, following: _Table) -> bool:
    """True when ``following`` (first on its page) carries on ``table`` (last on the page before)."""
    return (following.page == table.page + 1 and abs(following.xs[0] - table.xs[0]) <= 2 * SNAP
            and abs(following.xs[-1] - table.xs[-1]) <= 2 * SNAP)


def _table_item(parts: List[_Table]) -> DocItem:
    """One table from its parts on consecutive pages, spans counted on the columns of all parts."""
    xs = _positions([x for part in parts for x in part.xs])
    rows: List[List[_Cell]] = []
    for part in parts:
        part_rows: List[List[_Cell]] = [[] for _ in range(len(part.ys) - 1)]
        for cell in part.cells:
            cell.col = bisect_right(xs, cell.box[0] + SNAP) - 1
            cell.colspan = max(1, bisect_right(xs, cell.box[2] + SNAP) - 1 - cell.col)
            part_rows[cell.row].append(cell)
        for row in part_rows:
            row.sort(key=lambda cell: cell.col)
        if rows:
            part_rows = _drop_repeated_header(rows, part_rows)
            _join_split_cells(rows, part_rows)
        rows.extend(part_rows)
    first = parts[0]
    cells = tuple(tuple(DocCell(cell.text, cell.rowspan, cell.colspan, cell.page, _rounded(cell.box)) for cell in row)
                  for row in rows)
    return DocItem("table", rows=cells, page=first.page, bbox=_rounded(first.box))


def _rounded(box: Box) -> Box:
    """A box to a hundredth of a point (what a reader can use; no float noise in the JSON)."""
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


def _drop_repeated_header(rows: List[List[_Cell]], part_rows: List[List[_Cell]]) -> List[List[_Cell]]:
    """The continuation without the header rows it repeats from the table's start."""
    for k in range(min(3, len(rows), len(part_rows) - 1), 0, -1):
        head = [[(c.text, c.col, c.colspan, c.rowspan) for c in row] for row in rows[:k]]
        again = [[(c.text, c.col, c.colspan, c.rowspan) for c in row] for row in part_rows[:k]]
        if head == again and any(c.text for row in rows[:k] for c in row) and all(
                c.rowspan <= k - i for i, row in enumerate(rows[:k]) for c in row):
            return part_rows[k:]
    return part_rows


def _join_split_cells(rows: List[List[_Cell]], part_rows: List[List[_Cell]]) -> None:
    """Join a cell split by the page break into the cell above it: the continuation's first-row
    cell with the same columns as a cell ending the last row, when it is a group label (the
    next filled cell to its right is a label, not a number) and it is empty under a label
    (a side label, a group label printed whole before the break) or carries one on (text
    that is no number and starts with no heading numeral, as 法提供 after （四）无)."""
    if not part_rows or not part_rows[0]:
        return
    ending: Dict[Tuple[int, int], _Cell] = {}
    for i, row in enumerate(rows):
        for cell in row:
            if i + cell.rowspan == len(rows):
                ending[(cell.col, cell.colspan)] = cell
    kept: List[_Cell] = []
    first = part_rows[0]
    for i, cell in enumerate(first):
        above = ending.get((cell.col, cell.colspan))
        beside = next((c.text for c in first[i + 1:] if c.text), "")
        if above is not None and beside and not _NUMBER.match(beside) and _carries_on(above, cell):
            above.rowspan += cell.rowspan
            above.text = _join([above.text, cell.text]) if cell.text else above.text
        else:
            kept.append(cell)
    part_rows[0] = kept


def _carries_on(above: _Cell, cell: _Cell) -> bool:
    if not cell.text:
        return bool(above.text) and not _NUMBER.match(above.text)
    if not above.text or _NUMBER.match(above.text) or _NUMBER.match(cell.text):
        return False
    start = normalize(cell.text[:16])
    return not any(pattern.match(start) for pattern in _HEADING_START)
