"""Main content: the report body of a page as normalised paragraphs and table grids.

HTML is read from decoded text, never bytes. Its body is the element a known CMS marks
as content (TRS_Editor, #zoom, …) or, failing that, the element that directly holds the
most paragraph text; inside it a block element ends a paragraph, inline markup runs on,
and a data table becomes a grid (a layout table is read as paragraphs). Markup that
libxml2 cannot read as a tree is read as flat text. A plain-text page has one paragraph
per line. Either way, paragraphs that are site chrome (breadcrumbs, share bars, footers)
are set aside in ``Page.chrome``, and the kept blocks are joined with newlines into
``Page.text``; every block, table cell included, knows its span in that text.
"""
from __future__ import annotations

import html
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from lxml import etree

from .documents import DocItem
from .model import Block, Cell, Page
from .normalize import normalize
from .vocab import (BLOCK_TAGS, CHROME_MAX_CHARS, CHROME_PATTERNS, CONTENT_CLASSES, CONTENT_IDS,
                    DROP_TAGS, TEXT_JUNK)

__all__ = ["html_page", "text_page", "is_chrome", "document_page"]

# the anchored patterns are tried at the start only; the rest are searched as one alternation
_CHROME_START = re.compile("|".join(f"(?:{p})" for p in CHROME_PATTERNS if p.startswith("^")), re.I)
_CHROME_ANY = re.compile("|".join(f"(?:{p})" for p in CHROME_PATTERNS if not p.startswith("^")), re.I)
_JUNK = re.compile("|".join(TEXT_JUNK), re.I)  # every pattern starts with "<": a line without one is skipped
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_CONTENT_ID = re.compile("|".join(re.escape(i) for i in CONTENT_IDS), re.I)  # the whole id
_CONTENT_CLASS = re.compile(r"(?<!\S)(?:%s)(?!\S)" % "|".join(re.escape(c) for c in CONTENT_CLASSES), re.I)

#: limits that keep hostile tables cheap
MAX_COLSPAN = 64
MAX_ROWSPAN = 1000
LAYOUT_CELL_CHARS = 300  # a cell longer than this makes its table a layout table
MAX_GRID_SLOTS = 100_000  # grid slots one table may fill through its spans (a 表三 fills ~300)

#: libxml2's nesting limit with huge_tree; deeper markup is read as flat text
MAX_DEPTH = 2048
#: page text kept as chrome (for metadata) when the body is not the whole page
MAX_CHROME_CHARS = 20_000
#: longest tag the flat reading recognises as one
MAX_TAG_CHARS = 2000

_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,15}(?![A-Za-z0-9]))?[^<>]{0,%d}>" % MAX_TAG_CHARS)
_HIDDEN_OPEN = re.compile(r"<!--|<script\b|<style\b", re.I)
_HIDDEN_CLOSE = {"-->": re.compile("-->"), "script": re.compile(r"</script[^<>]{0,100}>", re.I),
                 "style": re.compile(r"</style[^<>]{0,100}>", re.I)}
_LONG_CHARREF = re.compile(r"&#(?:[xX]0*[0-9a-fA-F]{7,}|0*[0-9]{8,});?")

#: content candidates counted one by one; more are counted in a single pass over the tree
MAX_CANDIDATES = 40

Element = Any  # an lxml.etree element read by etree.HTMLParser; lxml is untyped here
RawTable = List[List[Tuple[str, int, int]]]  # a data table's rows: (text, rowspan, colspan) per cell
Piece = Union[str, RawTable]  # what the tree walk reads: a paragraph's text, or a data table


def is_chrome(line: str) -> bool:
    """True for a short paragraph that is site chrome rather than report text."""
    return len(line) <= CHROME_MAX_CHARS and bool(_CHROME_START.match(line) or _CHROME_ANY.search(line))


# --------------------------------------------------------------------------- HTML


def html_page(markup: str) -> Page:
    """The main content of an HTML page."""
    return read_html(markup)[0]


def read_html(markup: str) -> Tuple[Page, List[str]]:
    """The main content of an HTML page, and warnings about markup that could not be read as a tree.

    Markup that libxml2 stops reading part-way (nested deeper than :data:`MAX_DEPTH`,
    undecodable characters) is read as flat text instead, so no text is lost silently.
    """
    markup = _XML_DECL.sub("", markup, count=1)
    # huge_tree lifts libxml2's 10 MB text-node limit (pages embed big data: images);
    # the input itself is bounded by pipeline.MAX_BYTES. The HTML parser expands no entities.
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True,
                              remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return _flat_page(markup), []
    if root is None:
        return _flat_page(markup), []
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        reason = fatal[0].message.strip().split("\n")[0][:120]
        return _flat_page(markup), [f"markup read as flat text: the HTML parser stopped ({reason})"]
    head = _head(root)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    main = _find_main(body)
    raw = _collect(main)
    page_chrome = normalize(_outside_text(body, main, MAX_CHROME_CHARS)) if main is not body else ""
    return _assemble(raw, head, page_chrome, "html"), []


def _outside_text(body: Element, main: Element, limit: int) -> str:
    """The first ``limit`` characters of the text in ``body`` around ``main`` (``main`` is emptied).

    ``main``'s content is dropped in place, its tail left where it is: lxml will not copy a
    text holding control characters into a new node.
    """
    del main[:]
    main.text = "\n"
    return _string(body)[:limit]


def _flat_page(markup: str) -> Page:
    """Markup read without a tree: block tags end lines, other tags and hidden elements vanish."""
    text = _drop_hidden(markup)
    text = _TAG.sub(lambda m: "\n" if (m.group(1) or "").lower() in BLOCK_TAGS else "", text)
    text = html.unescape(_LONG_CHARREF.sub("\ufffd", text))
    return text_page(text, media="html")


def _drop_hidden(markup: str) -> str:
    """``markup`` without comments, scripts and styles (each to the end when unclosed), in linear time."""
    out: List[str] = []
    pos = 0
    while True:
        match = _HIDDEN_OPEN.search(markup, pos)
        if match is None:
            out.append(markup[pos:])
            return "".join(out)
        out.append(markup[pos:match.start()])
        token = match.group().lower()
        closer = _HIDDEN_CLOSE["-->" if token == "<!--" else token[1:]]
        end = closer.search(markup, match.end())
        if end is None:
            return "".join(out)
        pos = end.end()


def _head(root: Element) -> Dict[str, str]:
    """The page's ``<meta>`` contents by lower-case name, and its title under ``"<title>"``."""
    head: Dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("http-equiv") or "").strip().lower()
        content = meta.get("content")
        if name and content is not None and name not in head:
            head[name] = normalize(content)
    title = root.find(".//title")
    if title is not None:
        head["<title>"] = normalize(_string(title))
    return head


def _string(el: Element) -> str:
    """All text inside an element (its own tail excluded)."""
    text: str = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return text


def _cjk(text: Optional[str]) -> int:
    """How much CJK text a string holds: its non-ASCII characters (a fast, close proxy)."""
    return len(text) - len(text.encode("ascii", "ignore")) if text else 0


def _cjk_counts(body: Element) -> Dict[Element, int]:
    """CJK characters in each element's ``text_content()`` (its own tail excluded), in one pass."""
    counts: Dict[Element, int] = {}
    for _, el in etree.iterwalk(body, events=("end",)):
        n = _cjk(el.text)
        for child in el:
            n += counts.get(child, 0) + _cjk(child.tail)
        counts[el] = n
    return counts


def _find_main(body: Element) -> Element:
    """The element holding the report body."""
    candidates = _marked_as_content(body)
    if len(candidates) > MAX_CANDIDATES:  # counting each one's text would be quadratic: one pass instead
        counts = _cjk_counts(body)
        count: Callable[[Element], int] = lambda el: counts.get(el, 0)  # noqa: E731
    else:
        count = lambda el: _cjk(_string(el))  # noqa: E731
    total = count(body)
    scored = [(el, count(el)) for el in candidates]
    scored = [(el, n) for el, n in scored if n >= 50 and n >= 0.2 * total]
    if scored:
        most = max(n for _, n in scored)
        # the most specific element that still holds (nearly) all of the text
        close = [el for el, n in scored if n >= 0.97 * most]
        return max(close, key=lambda el: sum(1 for _ in el.iterancestors()))
    dense = _densest(body, _cjk_counts(body))
    return dense if dense is not None and len(dense) else body  # a childless winner means the body


def _marked_as_content(body: Element) -> List[Element]:
    """The elements under ``body`` whose id or class a known CMS gives its content, in document order."""
    marked: List[Element] = []
    # the id and class values only, each knowing its element (lxml's "smart strings"):
    # cheaper than visiting every element of the page
    for value in body.xpath(".//*/@id | .//*/@class"):
        if _CONTENT_ID.fullmatch(value) if value.attrname == "id" else _CONTENT_CLASS.search(value):
            el = value.getparent()
            if not marked or marked[-1] is not el:  # an element's id and class come one after the other
                marked.append(el)
    return marked


def _densest(body: Element, counts: Dict[Element, int]) -> Optional[Element]:
    """The block element that directly holds the most paragraph text."""
    own: Dict[Element, int] = {}
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag not in BLOCK_TAGS:
            continue
        n = _cjk(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
                n += counts.get(child, 0)
            n += _cjk(child.tail)
        if n:
            own[el] = n
    scores: Dict[Element, int] = {}
    for el, n in own.items():
        parent = el.getparent()
        scores[el] = scores.get(el, 0) + n
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + n
    if not scores:
        return None
    return max(scores, key=lambda el: scores[el])


_NOT_DIGITS = re.compile(r"[^0-9]")


def _span(value: Optional[str], cap: int) -> int:
    """A rowspan/colspan attribute as a count from 1 to ``cap``."""
    if not value:
        return 1
    if not value.isdigit():
        value = _NOT_DIGITS.sub("", value)
    return max(1, min(int(value[:6] or 1), cap))


def _data_table_rows(table: Element) -> Optional[RawTable]:
    """The rows of a data table, or None for a layout table: one holding a table, fewer than
    two cells, or a cell longer than :data:`LAYOUT_CELL_CHARS`."""
    if table.find(".//table") is not None:
        return None
    rows: RawTable = []
    seen = 0
    for tr in table.iter("tr"):
        row: List[Tuple[str, int, int]] = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            text, length = _cell_text(cell)
            if length > LAYOUT_CELL_CHARS:
                return None
            seen += 1
            row.append((text, _span(cell.get("rowspan"), MAX_ROWSPAN), _span(cell.get("colspan"), MAX_COLSPAN)))
        if row:
            rows.append(row)
    cells = int(table.xpath("count(.//td|.//th)"))
    if cells < 2:
        return None
    if cells != seen and any(len(_string(c)) > LAYOUT_CELL_CHARS for c in table.iter("td", "th")):
        return None  # a long cell outside any row
    return rows


_CELL_BLOCK_TAGS = frozenset(BLOCK_TAGS - {"td", "th", "tr", "table", "tbody", "thead", "tfoot"})


def _cell_text(cell: Element) -> Tuple[str, int]:
    """A cell's text (its paragraphs joined by spaces, inline markup joined without) and the
    length of all the text inside it."""
    if len(cell) == 0:
        text = cell.text or ""
        return text, len(text)
    blocks = 0
    for el in cell.iterdescendants():
        tag = el.tag
        if tag in _CELL_BLOCK_TAGS:
            blocks += 2 if tag == "br" else 1
            if blocks > 1:
                text = " ".join(part for part in _collect(cell) if isinstance(part, str))
                return text, len(_string(cell))
    text = _string(cell)  # inline markup, or one paragraph wrapping it (Word's <p><span>)
    return text, len(text)


def _collect(root: Element) -> List[Piece]:
    """Paragraph strings and data tables under ``root``, in document order: a block element
    ends a paragraph, inline markup runs on.

    The walk visits elements only; the tree holds no comments or processing instructions
    (``read_html``'s parser drops them, joining the text around them).
    """
    out: List[Piece] = []
    buf: List[str] = []

    def flush() -> None:
        if buf:
            out.append("".join(buf))
            buf.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            rows = _data_table_rows(el) if tag == "table" and el is not root else None
            if rows is not None:
                flush()
                out.append(rows)
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
            if el is not root and el.tail:
                buf.append(el.tail)
    flush()
    return out


# --------------------------------------------------------------------------- plain text


def text_page(text: str, media: str = "text") -> Page:
    """The main content of a plain-text page (one paragraph per line)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _assemble(lines, {}, "", media)


# --------------------------------------------------------------------------- assembly


def _assemble(raw: Iterable[Piece], head: Dict[str, str], page_chrome: str, media: str,
              sources: Optional[Sequence[DocItem]] = None) -> Page:
    """The page's text and blocks: paragraphs normalised, chrome set aside, tables laid out.

    ``sources``, for a document, are the items ``raw`` was read from, one for one: their
    pages and boxes go onto the blocks and cells."""
    parts: List[str] = []
    blocks: List[Block] = []
    dropped: List[str] = []
    pos = 0

    def place(s: str) -> int:
        nonlocal pos
        if parts:
            parts.append("\n")
            pos += 1
        start = pos
        parts.append(s)
        pos += len(s)
        return start

    for index, item in enumerate(raw):
        source = sources[index] if sources is not None else None
        if isinstance(item, str):
            line = normalize(_JUNK.sub("", item) if "<" in item else item)
            if not line:
                continue
            if is_chrome(line):
                dropped.append(line)
                continue
            start = place(line)
            if source is None:
                blocks.append(Block("para", line, (start, start + len(line))))
            else:
                blocks.append(Block("para", line, (start, start + len(line)), page=source.page, bbox=source.bbox))
        else:
            block = _place_table(item, place, lambda: pos, source)
            if block is not None:
                blocks.append(block)
    text = "".join(parts)
    chrome = "\n".join(dropped + ([page_chrome] if page_chrome else []))
    return Page(text=text, blocks=tuple(blocks), head=head, chrome=chrome, media=media)


def _place_table(raw_rows: RawTable, place: Callable[[str], int], here: Callable[[], int],
                 source: Optional[DocItem] = None) -> Optional[Block]:
    """Render a raw table one row per line and expand its spans into a grid.

    ``place`` appends a line to the page text and returns where it starts; ``here`` is the
    page text's length so far; ``source``, for a document, is the table item the rows were
    read from (its cells' pages and boxes go onto the cells)."""
    rows = [[(normalize(_JUNK.sub("", t) if "<" in t else t), rs, cs) for t, rs, cs in row] for row in raw_rows]
    if not any(t for row in rows for t, _, _ in row):
        return None
    n_rows = len(rows)
    filled = 0  # grid slots taken so far
    by_row: List[Dict[int, Cell]] = [{} for _ in range(n_rows)]  # column → cell, per grid row
    line_starts: List[int] = []
    physical: List[List[Cell]] = []
    for r, row in enumerate(rows):
        line = " | ".join(t for t, _, _ in row)
        start = place(line)
        line_starts.append(start)
        offset = start
        c = 0
        cells: List[Cell] = []
        taken = by_row[r]
        printed = source.rows[r] if source is not None else ()
        for i, (text, rs, cs) in enumerate(row):
            while c in taken:
                c += 1
            rs = min(rs, n_rows - r)
            if filled + rs * cs > MAX_GRID_SLOTS:  # a span bomb: the rest of the cells span nothing
                rs = cs = 1
            if printed:
                cell = Cell(text, (offset, offset + len(text)), r, c, rs, cs, printed[i].page, printed[i].bbox)
            else:
                cell = Cell(text, (offset, offset + len(text)), r, c, rs, cs)
            cells.append(cell)
            if rs == cs == 1:
                taken[c] = cell  # c was free
                filled += 1
            else:
                for dr in range(rs):
                    slots_of_row = by_row[r + dr]
                    before = len(slots_of_row)
                    for dc in range(cs):
                        slots_of_row[c + dc] = cell
                    filled += len(slots_of_row) - before
            c += cs
            offset += len(text) + 3
        physical.append(cells)
    grid = [tuple(slots_of_row[c] for c in sorted(slots_of_row)) for slots_of_row in by_row]
    end = here()
    text_of = " \n".join(" | ".join(c.text for c in row) for row in physical)
    if source is not None:
        return Block("table", text_of, (line_starts[0], end), tuple(grid), page=source.page, bbox=source.bbox)
    return Block("table", text_of, (line_starts[0], end), tuple(grid))


# --------------------------------------------------------------------------- documents


def document_page(items: Sequence[DocItem], head: Dict[str, str], media: str) -> Page:
    """The main content of a document (PDF, .docx) from its items in reading order; each
    block and cell carries the page and box it is printed at."""
    return _assemble([item.raw() for item in items], head, "", media, sources=items)
