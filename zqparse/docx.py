"""Word documents (.docx): paragraphs and tables from ``word/document.xml``.

Read with zipfile and lxml: no entity is expanded, nothing is fetched over the network,
and no member is read past :data:`MAX_MEMBER_BYTES` uncompressed (a zip bomb stops
there). Paragraphs (``w:p``) give their runs' text (``w:t``, tabs as spaces); a line
break (``w:br``) ends a paragraph as ``<br>`` does in HTML. Tables (``w:tbl``) give rows
of cells with ``w:gridSpan`` as colspan and ``w:vMerge`` as rowspan; a cell's paragraphs
are joined by spaces. Deleted text (tracked changes), field codes and the fallback copies
of text boxes are not read. The centred paragraphs that open the document are its title
(``Page.head["title"]``), and ``docProps/core.xml``'s ``dcterms:created`` its own date.
"""
from __future__ import annotations

import io
import zipfile
from typing import Any, Dict, List, Optional, Tuple

from .documents import DocCell, DocItem, Document, metadata_date
from .errors import CorruptDocumentError, EmptyInputError

__all__ = ["read_docx", "MAX_MEMBER_BYTES"]

#: the most uncompressed bytes read from one member of the zip
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: a title is printed over at most this many centred paragraphs
TITLE_PARAGRAPHS = 3

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DCTERMS_CREATED = "{http://purl.org/dc/terms/}created"

#: elements that wrap paragraphs and tables (content controls, tracked insertions): read through
WRAPPERS = frozenset(f"{W}{name}" for name in ("sdt", "sdtContent", "customXml", "ins", "smartTag"))

Rows = List[List[Tuple[str, int, int]]]


def read_docx(data: bytes) -> Document:
    """Read a .docx document's paragraphs and tables.

    Raises :class:`~zqparse.errors.CorruptDocumentError` for a damaged file or one whose
    XML cannot be read, :class:`~zqparse.errors.EmptyInputError` for one without text.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        body = _xml(archive, "word/document.xml")
        core = _xml(archive, "docProps/core.xml") if "docProps/core.xml" in archive.namelist() else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise CorruptDocumentError(f"the .docx file is damaged and cannot be read ({error})") from error
    items: List[DocItem] = []
    centred: List[str] = []
    opening = True
    root = body.find(f"{W}body")
    for kind, payload, is_centred in _blocks(root if root is not None else body):
        if kind == "para":
            assert isinstance(payload, str)
            if opening and payload.strip():
                if is_centred:
                    centred.append(payload.strip())
                else:
                    opening = False
            items.append(DocItem("para", text=payload))
        else:
            assert isinstance(payload, list)
            opening = False
            items.append(DocItem("table", rows=tuple(tuple(DocCell(t, rs, cs) for t, rs, cs in row)
                                                    for row in payload)))
    if not any(item.text.strip() or any(c.text.strip() for row in item.rows for c in row) for item in items):
        raise EmptyInputError("the .docx holds no text in its body (text boxes, headers and footers are not read)")
    created = None
    if core is not None:
        stamp = core.find(f".//{DCTERMS_CREATED}")
        created = metadata_date(stamp.text if stamp is not None else None)
    title = "".join(centred) if 0 < len(centred) <= TITLE_PARAGRAPHS else ""
    return Document(media="docx", items=tuple(items), pages=0, created=created,
                    head={"title": title} if title else {})


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    """A member parsed safely: capped in size, no entities expanded, no network, no DTD."""
    from lxml import etree

    with archive.open(name) as member:
        raw = member.read(MAX_MEMBER_BYTES + 1)
    if len(raw) > MAX_MEMBER_BYTES:
        raise CorruptDocumentError(f"{name} in the .docx is over {MAX_MEMBER_BYTES} bytes uncompressed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as error:
        raise CorruptDocumentError(f"{name} in the .docx is not well-formed XML ({error})") from error


def _blocks(parent: Any) -> List[Tuple[str, object, bool]]:
    """("para", text, centred) and ("table", rows, False) in document order under ``parent``."""
    out: List[Tuple[str, object, bool]] = []
    for child in parent:
        tag = child.tag
        if tag == f"{W}p":
            jc = child.find(f"{W}pPr/{W}jc")
            centred = jc is not None and jc.get(f"{W}val") == "center"
            out.extend(("para", line, centred) for line in _paragraph_lines(child))
        elif tag == f"{W}tbl":
            out.append(("table", _table_rows(child), False))
        elif tag in WRAPPERS:
            out.extend(_blocks(child))
    return out


def _paragraph_lines(paragraph: Any) -> List[str]:
    """A paragraph's text, split at line breaks; text boxes inside it are left out (read apart)."""
    lines: List[str] = [""]
    for el in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if _hidden(el, paragraph):
            continue
        if el.tag == f"{W}t":
            lines[-1] += el.text or ""
        elif el.tag == f"{W}tab":
            lines[-1] += " "
        else:
            lines.append("")
    return lines if any(lines) else [""]


def _hidden(el: Any, stop: Any) -> bool:
    """True for text under a fallback copy (mc:Fallback) or a text box, seen from ``stop``."""
    for ancestor in el.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == MC_FALLBACK or ancestor.tag == f"{W}txbxContent":
            return True
    return False


def _cell_text(cell: Any) -> str:
    parts: List[str] = []
    for kind, payload, _ in _blocks(cell):
        if kind == "para":
            assert isinstance(payload, str)
            parts.append(payload)
        else:  # a table inside a cell: its text, row by row
            assert isinstance(payload, list)
            parts.extend(" ".join(t for t, _, _ in row) for row in payload)
    return " ".join(p for p in parts if p.strip())


def _table_rows(table: Any) -> Rows:
    """Rows of ``(text, rowspan, colspan)``: vMerge continuations folded into the cell above."""
    rows: Rows = []
    open_cells: Dict[int, Tuple[int, int]] = {}  # grid column → (row, index) of the cell a vMerge continues
    for tr in table.iterchildren(f"{W}tr"):
        row: List[Tuple[str, int, int]] = []
        column = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        if column:
            row.append(("", 1, column))
        for tc in tr.iterchildren(f"{W}tc"):
            span = max(1, _int(tc.find(f"{W}tcPr/{W}gridSpan"), 1))
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = merge is not None and merge.get(f"{W}val") in (None, "continue")
            above = open_cells.get(column)
            if continues and above is not None:
                r, i = above
                text, rowspan, colspan = rows[r][i]
                rows[r][i] = (text, rowspan + 1, colspan)
            else:
                open_cells[column] = (len(rows), len(row))
                if merge is None:
                    open_cells.pop(column)
                row.append((_cell_text(tc), 1, span))
            column += span
        rows.append(row)
    return rows


def _int(el: Optional[Any], default: int) -> int:
    value = el.get(f"{W}val") if el is not None else None
    return int(value) if value and value.isdigit() else default
