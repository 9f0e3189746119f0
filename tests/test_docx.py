""".docx input: fixture pages written as Word documents at test time give the same report as the
HTML page; merged cells, line breaks, deleted text and hostile zips are read as they should be."""
from __future__ import annotations

import pytest

import zqparse
from conftest import assert_same_report, parsed
from docgen import report_docx, zipped
from zqparse import docx as docx_reader
from zqparse.documents import document_kind, read_document
from zqparse.errors import CorruptDocumentError

RENDERED = ["pingtan-zhq-2021.html", "pingtan-zhq-2019.html", "zhaoqing-mzj-2018.txt"]

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str, prolog: str = "") -> bytes:
    xml = f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document {W}><w:body>{body}</w:body></w:document>'
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": xml})




@pytest.fixture(scope="module")
def written() -> dict:
    return {name: zqparse.parse(report_docx(parsed(name))) for name in RENDERED}


@pytest.mark.parametrize("name", RENDERED)
def test_a_page_written_as_docx_gives_the_same_report(written, name):
    page, doc = parsed(name), written[name]
    assert_same_report(doc, page, "docx")


def test_merged_cells_become_spans():
    """python-docx writes merges as gridSpan and vMerge; they come back as colspan and rowspan."""
    page = parsed("pingtan-zhq-2021.html")
    document = read_document("docx", report_docx(page))
    requests = [i for i in document.items if i.kind == "table"][1]
    cells = {c.text: (c.rowspan, c.colspan) for row in requests.rows for c in row}
    html = {c.text: (c.rowspan, c.colspan) for c in {c for row in page.blocks[_table(page, 1)].grid for c in row}}
    for label in ("申请人情况", "自然人", "法人或其他组织", "三、本年度办理结果"):
        assert cells[label] == html[label] != (1, 1), label


def _table(report, n: int) -> int:
    return [i for i, b in enumerate(report.blocks) if b.kind == "table"][n]


def test_grid_span_and_vertical_merge_by_hand():
    body = ('<w:tbl>'
            '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>组</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>头</w:t></w:r></w:p></w:tc></w:tr>'
            '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
            '<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>'
            '</w:tbl>')
    table = read_document("docx", _docx(body)).items[0]
    assert table.raw() == [[("组", 2, 1), ("头", 1, 2)], [("1", 1, 1), ("2", 1, 1)]]


def test_line_breaks_split_paragraphs_and_deleted_text_is_not_read():
    body = ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>某县人民政府</w:t><w:br/>'
            '<w:t>2023年政府信息公开工作年度报告</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>一、总体情况</w:t></w:r><w:del><w:r><w:delText>删去的</w:delText></w:r></w:del></w:p>')
    document = read_document("docx", _docx(body))
    assert [i.text for i in document.items] == ["某县人民政府", "2023年政府信息公开工作年度报告", "一、总体情况"]
    assert document.head == {"title": "某县人民政府2023年政府信息公开工作年度报告"}


def test_entities_are_not_expanded_and_nothing_is_fetched():
    prolog = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "展开">]>'
    document = read_document("docx", _docx("<w:p><w:r><w:t>a&x;b&y;c</w:t></w:r></w:p>", prolog))
    text = "".join(i.text for i in document.items)
    assert "root" not in text and "展开" not in text and text.startswith("a")


def test_a_member_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(CorruptDocumentError, match="over 1000 bytes"):
        read_document("docx", _docx("<w:p><w:r><w:t>" + "字" * 2000 + "</w:t></w:r></w:p>"))


def test_a_docx_with_broken_xml_says_so():
    data = zipped({"word/document.xml": "<w:document><w:body><w:p>"})
    assert document_kind(data) == "docx"
    with pytest.raises(CorruptDocumentError, match="not well-formed"):
        zqparse.parse(data)


def test_a_docx_without_text_is_an_empty_input_error_not_an_empty_report():
    with pytest.raises(zqparse.EmptyInputError, match="no text"):
        zqparse.parse(_docx("<w:p/><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"))
