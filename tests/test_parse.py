"""The public entry point: inputs it takes, the Report it gives, the errors it raises."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import zqparse
from conftest import fixture_path, parsed


def test_report_to_dict_has_the_schema_shape():
    record = json.loads(parsed("zhaoqing-mzj-2018.txt").to_json())
    assert record["schema_version"] == 1
    assert set(record) >= {"source", "meta", "text", "sections", "figures", "tables", "metrics", "checks",
                           "warnings"}
    assert set(record["source"]) >= {"path", "url", "sha256", "encoding", "bytes"}
    assert set(record["meta"]) == {"title", "agency", "year", "published", "family", "is_report"}
    section = record["sections"][0]
    assert set(section) >= {"number", "level", "title", "kind", "span", "children"}
    assert record["source"]["encoding"] == "utf-8"
    assert len(record["source"]["sha256"]) == 64


def test_path_bytes_and_str_inputs():
    path = fixture_path("zhaoqing-mzj-2018.txt")
    by_path = zqparse.parse(path)
    by_str_path = zqparse.parse(str(path))
    by_bytes = zqparse.parse(path.read_bytes(), url="http://example.invalid/a.html")
    by_text = zqparse.parse(path.read_text(encoding="utf-8"))
    assert by_path.source.path == by_str_path.source.path == str(path)
    assert by_bytes.source.path is None and by_bytes.source.url == "http://example.invalid/a.html"
    assert by_path.source.sha256 == by_bytes.source.sha256 == by_text.source.sha256
    assert by_path.text == by_bytes.text == by_text.text
    assert by_text.source.encoding == "unicode"


def test_gbk_page_declared_gb2312_decodes_fully():
    # 镕 is in GBK but not in GB2312: a strict gb2312 decoder would lose it
    html = ('<html><head><meta charset="gb2312"></head><body><div id="zoom">'
            '<p>朱镕基同志视察。主动公开政府信息100条。</p></div></body></html>').encode("gbk")
    report = zqparse.parse(html)
    assert report.source.encoding == "gb18030"
    assert report.source.undecodable == 0
    assert "朱镕基同志视察" in report.text


def test_http_charset_is_used_for_bytes():
    html = "<html><body><p>一、概述</p><p>本年度共主动公开政府信息10条。</p></body></html>".encode("gbk")
    assert zqparse.parse(html, encoding="GBK").text.startswith("一、概述")


@pytest.mark.parametrize("bad, error", [
    (b"", zqparse.EmptyInputError),
    (b"   \n\t", zqparse.EmptyInputError),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", zqparse.BinaryInputError),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", zqparse.BinaryInputError),
    (bytes(range(256)) * 40, zqparse.BinaryInputError),
])
def test_unreadable_input_raises_documented_errors(bad, error):
    with pytest.raises(error):
        zqparse.parse(bad)


def test_missing_file_and_wrong_type_are_input_errors(tmp_path):
    with pytest.raises(zqparse.InputError, match="no such file"):
        zqparse.parse(tmp_path / "missing.html")
    with pytest.raises(zqparse.InputError, match="no such file"):
        zqparse.parse(str(tmp_path / "missing.html"))
    with pytest.raises(zqparse.InputError):
        zqparse.parse(12345)  # type: ignore[arg-type]
    with pytest.raises(zqparse.InputError):
        zqparse.parse(tmp_path)  # a folder is not a page


def test_an_open_binary_file_is_parsed_like_its_path():
    path = fixture_path("pdf/huaian-szf-2024.pdf")
    with open(path, "rb") as handle:
        report = zqparse.parse(handle)
    assert (report.meta.agency, report.meta.year, report.source.media) == ("淮安市人民政府", 2024, "pdf")
    assert report.source.path == str(path)
    assert report.to_dict()["metrics"] == zqparse.parse(path).to_dict()["metrics"]
    nameless = zqparse.parse(io.BytesIO(fixture_path("zhaoqing-mzj-2018.txt").read_bytes()))
    assert nameless.meta.agency == "肇庆市民政局" and nameless.source.path is None


def test_a_closed_or_oversized_file_object_is_an_input_error(tmp_path):
    handle = open(fixture_path("zhaoqing-mzj-2018.txt"), "rb")
    handle.close()
    with pytest.raises(zqparse.InputError, match="cannot read the file object"):
        zqparse.parse(handle)
    with pytest.raises(zqparse.InputTooLargeError):
        zqparse.parse(io.BytesIO(b"x" * 2000), max_bytes=1000)


@pytest.mark.parametrize("name, message", [
    ("fixtures/", "is a folder: parse takes one page"),
    ("fixtures", "is a folder: parse takes one page"),
    ("fixtures/nope", "no such file: fixtures/nope"),
    ("./reports/2019", "no such file"),
])
def test_a_str_that_names_a_folder_or_looks_like_a_path_is_an_input_error(name, message):
    """No guessing that can go silently wrong: such a str is never read as a page's text."""
    with pytest.raises(zqparse.InputError, match=message):
        zqparse.parse(name)


@pytest.mark.parametrize("text", ["<p>一、总体情况</p><p>a/b</p>", "一、总体情况 统计期限为2019年/2020年。",
                                  "主动公开政府信息1740条，其中文件/通知12条。"])
def test_one_line_texts_with_slashes_stay_text(text):
    assert zqparse.parse(text).source.path is None


def test_oversized_input_is_refused_before_parsing(tmp_path):
    with pytest.raises(zqparse.InputTooLargeError):
        zqparse.parse(b"<p>x</p>" * 1000, max_bytes=1000)


def test_readable_non_report_gives_a_report_with_is_report_false():
    report = zqparse.parse("<html><body><p>今天天气很好,我们去公园散步。</p></body></html>")
    assert report.meta.is_report is False
    assert report.warnings


def test_import_is_light():
    code = ("import sys, zqparse; heavy = [m for m in ('lxml', 'bs4', 'jieba', 'regex', 'zqparse.pipeline') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""


def test_cli_parse_jsonl_gives_one_record_per_input(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "zqparse", "parse", "--format", "jsonl",
                          str(fixture_path("zhaoqing-mzj-2018.txt")), str(bad)],
                         capture_output=True, text=True)
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(records) == 2
    assert records[0]["meta"]["agency"] == "肇庆市民政局"
    assert records[1]["error"]["type"] == "EmptyInputError"
    assert records[1]["source"]["path"] == str(bad)
    assert out.returncode == 1


def test_one_line_str_with_a_file_extension_is_a_path_and_a_url_is_refused():
    with pytest.raises(zqparse.InputError, match="no such file"):
        zqparse.parse("missing-report.pdf")
    with pytest.raises(zqparse.InputError, match="not a URL"):
        zqparse.parse("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm")
    # a one-line page text is still text
    assert zqparse.parse("本年度共主动公开政府信息10条。").text == "本年度共主动公开政府信息10条。"


def test_model_records_are_frozen_and_compare_by_value():
    from dataclasses import FrozenInstanceError, replace

    from zqparse.model import Cell, Check

    cell = Cell("自然人", (10, 13), 1, 2)
    assert cell == Cell(text="自然人", span=(10, 13), row=1, col=2, rowspan=1, colspan=1)
    assert replace(cell, colspan=3).colspan == 3 and cell.colspan == 1
    with pytest.raises(FrozenInstanceError):
        cell.text = "法人"
    with pytest.raises(TypeError):
        Check("requests.balance", "自然人")  # ok, left and right are required


def _without_subjects(record: dict) -> dict:
    """A record with every figure's subject set to None."""
    return dict(record, figures=[dict(figure, subject=None) for figure in record["figures"]])


#: every page and document fixture (pages, texts, PDFs, .docx, not-reports, wild pages)
ALL_FIXTURES = sorted(str(p.relative_to(fixture_path("zhaoqing-mzj-2018.txt").parent))
                      for p in fixture_path("zhaoqing-mzj-2018.txt").parent.rglob("*")
                      if p.is_file() and "gold" not in p.parts and p.suffix not in (".md", ".json"))


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_without_subjects_the_record_is_the_same_but_for_the_subjects(name):
    """subjects=False changes nothing but Figure.subject: no metric, check or table reads subjects."""
    try:
        normal = parsed(name).to_dict()
    except zqparse.ZqparseError:
        with pytest.raises(zqparse.ZqparseError):
            zqparse.parse(fixture_path(name), subjects=False)
        return
    bare = zqparse.parse(fixture_path(name), subjects=False).to_dict()
    assert all(figure["subject"] is None for figure in bare["figures"])
    assert bare == _without_subjects(normal)


def test_subjects_are_there_by_default_and_gone_without():
    normal = parsed("zhaoqing-mzj-2018.txt")
    assert (normal.figures[0].raw, normal.figures[0].subject) == ("1740条", "主动公开政府信息")
    bare = zqparse.parse(fixture_path("zhaoqing-mzj-2018.txt"), subjects=False)
    assert (bare.figures[0].raw, bare.figures[0].subject) == ("1740条", None)
    assert bare.metrics == normal.metrics and len(bare.figures) == len(normal.figures) == 25


@pytest.mark.parametrize("name, subjects, loaded", [
    ("zhaoqing-mzj-2018.txt", False, False), ("pingtan-zhq-2019.html", False, False),
    ("pdf/huaian-szf-2024.pdf", False, False), ("zhaoqing-mzj-2018.txt", True, True)])
def test_a_parse_without_subjects_does_not_import_jieba(name, subjects, loaded):
    code = ("import sys, zqparse; report = zqparse.parse(sys.argv[1], subjects=sys.argv[2] == 'True'); "
            "print(len(report.figures) > 0, 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(fixture_path(name)), str(subjects)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", str(loaded)]
