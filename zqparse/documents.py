"""Documents (PDF, Word .docx) as input: what a file is, by its content, and the records the readers give.

A page is text (HTML or plain); a document is a file format holding the report's text
and tables (``pdf.py``, ``docx.py`` read them). :func:`document_kind` tells them apart by
their first bytes and their zip members, never by the file's name, and refuses the
document formats zqparse cannot read (old Word/WPS, Excel, OFD, archives) with an error
naming the format and what to do. A reader gives a :class:`Document`: its paragraphs and
tables in reading order as :class:`DocItem`\\ s, each with its page and bounding box, which
``content.document_page`` turns into the same ``Page`` an HTML page gives.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from typing import List, Mapping, Optional, Tuple, Union

from .errors import UnsupportedFormatError
from .model import Box, Meta

__all__ = ["DocCell", "DocItem", "Document", "RawItem", "document_kind", "metadata_date",
           "dated_from_metadata", "read_document"]

#: an item as content.document_page takes it: a paragraph's text, or a table's rows of (text, rowspan, colspan)
RawItem = Union[str, List[List[Tuple[str, int, int]]]]


@dataclass(frozen=True, slots=True)
class DocCell:
    """One printed table cell of a document: its text, spans, and where it is printed."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    #: 1-based page number (None where the format has no pages, as in .docx)
    page: Optional[int] = None
    bbox: Optional[Box] = None


@dataclass(frozen=True, slots=True)
class DocItem:
    """A paragraph (``kind == "para"``, ``text`` set) or a table (``"table"``, ``rows`` set) of a document.

    A table's ``rows`` hold, row by row, the cells that start in that row (a cell
    spanning rows appears once, in its first row), as HTML's ``<tr>``/``<td>`` do. A table
    continued over a page break is one item; its cells keep their own pages.
    """

    kind: str
    text: str = ""
    rows: Tuple[Tuple[DocCell, ...], ...] = ()
    page: Optional[int] = None
    bbox: Optional[Box] = None

    def raw(self) -> RawItem:
        """The item as ``content.document_page`` takes it."""
        if self.kind == "para":
            return self.text
        return [[(c.text, c.rowspan, c.colspan) for c in row] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Document:
    """What a document reader found: items in reading order and what the file says of itself."""

    media: str  # "pdf" | "docx"
    items: Tuple[DocItem, ...]
    pages: int
    #: the document's own date (PDF CreationDate, .docx dcterms:created) as YYYY-MM-DD
    created: Optional[str] = None
    #: what ``Page.head`` gets (read by meta.py like an HTML page's ``<meta>`` tags)
    head: Mapping[str, str] = field(default_factory=dict)
    warnings: Tuple[str, ...] = ()


# --------------------------------------------------------------------------- what a file is

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: advice for the formats zqparse refuses
TO_DOCX = "convert it to .docx (or PDF) first, e.g. `soffice --headless --convert-to docx FILE` (LibreOffice)"
UNPACK = "unpack it and parse the files inside"

#: files refused by their first bytes: (magic, what it is, what to do)
REFUSED_MAGIC = (
    (b"Rar!\x1a\x07", "a RAR archive (.rar)", UNPACK),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive (.7z)", UNPACK),
)

#: old Office (OLE2 compound) files by the stream names they hold (UTF-16LE in the directory), first match wins
OLE2_KINDS = (
    ("EncryptedPackage", "an encrypted (password-protected) Office document",
     "remove the password in Word or WPS and save it as .docx"),
    ("WordDocument", "an old Word or WPS document (.doc/.wps)", TO_DOCX),
    ("Workbook", "an Excel workbook (.xls/.et), not a report document", "export the report itself as .docx or PDF"),
    ("Book", "an Excel workbook (.xls/.et), not a report document", "export the report itself as .docx or PDF"),
    ("PowerPoint Document", "a PowerPoint presentation (.ppt)", "export it as PDF first"),
)

#: zip files by a member they hold: (member, what it is, what to do); word/document.xml is a .docx (read)
ZIP_KINDS = (
    ("OFD.xml", "an OFD document (.ofd)", "convert it to PDF first (e.g. with an OFD reader's export)"),
    ("xl/workbook.xml", "an Excel workbook (.xlsx), not a report document", "export the report itself as .docx or PDF"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)", "export it as PDF first"),
)
#: how much of an OLE2 file is searched for its stream names (the directory sits near the start)
OLE2_SCAN_BYTES = 1 << 20
#: names in an old-format file that say which word processor wrote it
_WPS_NAME = re.compile(r"\.wps$", re.I)


def document_kind(data: bytes, name: Optional[str] = None) -> Optional[str]:
    """``"pdf"`` or ``"docx"`` for a document zqparse reads, None for anything else (a page, or
    binary data left to ``decode`` to refuse).

    Raises :class:`~zqparse.errors.UnsupportedFormatError` for a document format zqparse
    does not read (.doc, .wps, .xls, .ofd, .zip, .rar, …), naming it and what to do.
    ``name`` (a file name) only sharpens that message.
    """
    if data.startswith(PDF_MAGIC):
        return "pdf"
    for magic, what, advice in REFUSED_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(f"input is {what}: {advice}")
    if data.startswith(OLE2_MAGIC):
        head = data[:OLE2_SCAN_BYTES]
        for stream, what, advice in OLE2_KINDS:
            if stream.encode("utf-16-le") in head:
                if stream == "WordDocument" and name and _WPS_NAME.search(name):
                    what = "an old WPS document (.wps)"
                raise UnsupportedFormatError(f"input is {what}: {advice}")
        raise UnsupportedFormatError(f"input is an old Office (OLE2) file: {TO_DOCX}")
    if data.startswith(ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None  # not a readable zip: decode refuses it as binary data
        if "word/document.xml" in names:
            return "docx"
        for member, what, advice in ZIP_KINDS:
            if member in names:
                raise UnsupportedFormatError(f"input is {what}: {advice}")
        raise UnsupportedFormatError(f"input is a ZIP archive (.zip): {UNPACK}")
    return None


def read_document(kind: str, data: bytes) -> Document:
    """Read a document of ``kind`` (from :func:`document_kind`)."""
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    from .docx import read_docx

    return read_docx(data)


# --------------------------------------------------------------------------- the document's own date

_META_DATE = re.compile(r"(?:D:)?((?:19|20)[0-9]{2})-?([01][0-9])-?([0-3][0-9])")


def metadata_date(value: Optional[str]) -> Optional[str]:
    """A metadata date (PDF ``D:20250225100250+08'00'``, ISO ``2025-02-25T10:02:50Z``) as YYYY-MM-DD."""
    match = _META_DATE.match(value.strip()) if value else None
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def dated_from_metadata(meta: Meta, warnings: List[str], document: Document) -> Tuple[Meta, List[str]]:
    """``meta`` with ``published`` from the document's own metadata when no date is printed in it,
    and a warning saying so (in place of "meta.published not found")."""
    if meta.published is not None or document.created is None:
        return meta, warnings
    source = "CreationDate" if document.media == "pdf" else "dcterms:created"
    note = (f"meta.published {document.created} is the {document.media.upper()} metadata's {source}: "
            "no date is printed in the document")
    kept = [w for w in warnings if w != "meta.published not found"]
    return replace(meta, published=document.created), kept + [note]
