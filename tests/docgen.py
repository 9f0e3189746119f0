"""Test documents made at test time: a parsed page's report printed as a PDF (reportlab, its
built-in CID font STSong-Light, tables ruled with drawn lines and split over pages, page
numbers "- N -" in the footer) or as a .docx (python-docx, merged cells as gridSpan/vMerge),
and broken documents (truncated, image-only, encrypted, old-format files)."""
from __future__ import annotations

import io
from typing import List, Sequence, Tuple

from zqparse.model import Block, Report

FONT = "STSong-Light"
#: the opening lines printed as the title, centred, when the report begins with them
TITLE_LINES = 2


def _grid_rows(block: Block) -> Tuple[List[List[str]], List[Tuple[int, int, int, int]]]:
    """A table block as a rectangular grid of texts (each cell in its first slot) and its spans
    as (col, row, colspan, rowspan)."""
    width = max(len(row) for row in block.grid)
    rows = [["" for _ in range(width)] for _ in block.grid]
    spans = []
    for r, row in enumerate(block.grid):
        for c, cell in enumerate(row):
            if cell.row == r and cell.col == c:
                rows[r][c] = cell.text
                if cell.rowspan > 1 or cell.colspan > 1:
                    spans.append((c, r, min(cell.colspan, width - c), min(cell.rowspan, len(rows) - r)))
    return rows, spans


def _widths(rows: List[List[str]], spans: list, total: float) -> List[float]:
    """Column widths in proportion to the longest unspanned text of each column (at least 4 characters)."""
    spanned = {(c, r) for c, r, cs, rs in spans if cs > 1}
    need = [4] * len(rows[0])
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (c, r) not in spanned:
                need[c] = max(need[c], min(len(text), 14))
    return [total * n / sum(need) for n in need]


def _title_count(blocks: Sequence[Block]) -> int:
    """How many opening paragraphs are the title (short lines before the body)."""
    count = 0
    for block in blocks[:TITLE_LINES]:
        if block.kind != "para" or len(block.text) > 40:
            break
        count += 1
    return count


def report_pdf(report: Report) -> bytes:
    """The report's blocks printed as an A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    story: list = []
    titles = _title_count(report.blocks)
    for i, block in enumerate(report.blocks):
        if block.kind == "para":
            story.append(Paragraph(escape(block.text), title if i < titles else body))
            continue
        rows, spans = _grid_rows(block)
        data = [[Paragraph(escape(text), cell) for text in row] for row in rows]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
        style += [("SPAN", (c, r), (c + cs - 1, r + rs - 1)) for c, r, cs, rs in spans]
        story += [Spacer(1, 6), Table(data, colWidths=_widths(rows, spans, A4[0] - 144), style=TableStyle(style),
                                      splitByRow=1), Spacer(1, 6)]

    def footer(canvas, doc) -> None:
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 36, f"- {doc.page} -")

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72,
                      title="", author="").build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def report_docx(report: Report) -> bytes:
    """The report's blocks written as a .docx (merged cells as gridSpan/vMerge)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    titles = _title_count(report.blocks)
    for i, block in enumerate(report.blocks):
        if block.kind == "para":
            paragraph = document.add_paragraph(block.text)
            if i < titles:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        rows, spans = _grid_rows(block)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for c, r, cs, rs in spans:
            table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A one-page PDF holding only a drawn picture (a scan has no text layer)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(100, 100, 300, 400, fill=1)
    page.drawImage(_png(), 120, 120, width=200, height=200)
    page.save()
    return out.getvalue()


def _png():
    from reportlab.lib.utils import ImageReader
    import zlib
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([(x * 7 + y) % 256 for x in range(16)]) for y in range(16))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return ImageReader(io.BytesIO(png))


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """A PDF that needs the password "secret" to open (with ``user_password=""``, one that opens
    without a password but forbids copying: an owner password only)."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=StandardEncryption(user_password, ownerPassword="owner", canCopy=0))
    page.setFont(FONT, 12)
    page.drawString(72, 720, "2023年政府信息公开工作年度报告")
    page.save()
    return out.getvalue()


def ole2(stream: str) -> bytes:
    """The start of an old Office (OLE2 compound) file naming one stream in its directory."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 1024


def zipped(members: dict) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
