"""Tidy exports of real parsed reports: rows, CSV text and pandas DataFrames."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import zqparse
from conftest import fixture_path, parsed
from zqparse import export
from zqparse.bulk import error_record
from zqparse.errors import EmptyInputError
from zqparse.model import Figure


def with_figure(name: str, raw: str, value, unit: str, subject: str):
    """A parsed fixture with one figure of its own text added (figures are issue 3's to find)."""
    report = parsed(name)
    start = report.text.index(raw)
    section = report.section_at(start)
    figure = Figure(value=value, unit=unit, raw=raw, span=(start, start + len(raw)),
                    section=section.number if section else None, subject=subject)
    return dataclasses.replace(report, figures=report.figures + (figure,))


def test_metric_rows_carry_the_report_identity():
    report = parsed("pingtan-zhq-2019.html")
    rows = export.rows(report.to_dict(), "metrics")
    assert len(rows) == len(report.metrics)
    for path, agency, year, family, key, value in rows:
        assert (agency, year, family) == ("平潭综合实验区", 2019, "template2019")
        assert report.metrics[key] == value
        assert path.endswith("pingtan-zhq-2019.html")


def test_figure_rows():
    report = with_figure("pingtan-zhq-2019.html", "2599条", 2599, "条", "政府信息")
    (row,) = [r for r in export.rows(report.to_dict(), "figures") if r[6] == "政府信息"]
    start = report.text.index("2599条")
    assert row[1:] == ("平潭综合实验区", 2019, "template2019", 2599, "条", "政府信息", "一", start,
                       start + len("2599条"), "2599条", False, None)  # no page: an HTML page


def test_section_rows_rebuild_the_tree():
    report = parsed("pingtan-zhq-2021.html")
    rows = export.rows(report.to_dict(), "sections")
    columns = export.COLUMNS["sections"]
    table = [dict(zip(columns, row)) for row in rows]
    assert len(table) == sum(1 for _ in report.walk_sections())
    top = [r["title"] for r in table if r["parent"] is None]
    assert top == [s.title for s in report.sections]
    assert top[1] == "主动公开政府信息情况"
    for row in table:
        if row["parent"] is not None:
            assert table[row["parent"]]["level"] < row["level"]


def test_errors_and_non_reports_give_rows_only_in_the_reports_kind():
    failure = error_record("x/empty.html", EmptyInputError("input is empty"))
    notice = parsed("not-reports/pingtan-notice-2021.html").to_dict()
    for kind in ("metrics", "figures", "sections", "checks"):
        assert export.rows(failure, kind) == [] and export.rows(notice, kind) == []
    (row,) = export.rows(failure, "reports")
    assert dict(zip(export.COLUMNS["reports"], row))["error_type"] == "EmptyInputError"
    (row,) = export.rows(notice, "reports")
    assert dict(zip(export.COLUMNS["reports"], row))["is_report"] is False


def test_csv_text_reads_back_with_the_csv_module():
    record = parsed("zhaoqing-mzj-2018.txt").to_dict()
    text = export.csv_header("sections") + export.csv_rows(record, "sections")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["agency"] == "肇庆市民政局" and rows[0]["year"] == "2018"
    assert [r["title"] for r in rows] == [s.title for s in parsed("zhaoqing-mzj-2018.txt").walk_sections()]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        export.rows({}, "tables")


def test_to_dataframe_metrics_from_reports_dicts_and_jsonl(tmp_path: Path):
    pandas = pytest.importorskip("pandas")
    reports = [parsed("pingtan-zhq-2019.html"), parsed("zhaoqing-mzj-2018.txt")]
    frame = export.to_dataframe(reports, kind="metrics")
    assert list(frame.columns) == list(export.COLUMNS["metrics"])
    assert str(frame["year"].dtype) == "Int64" and frame["value"].dtype == "float64"
    wanted = parsed("pingtan-zhq-2019.html").metrics["requests.new.total"]
    got = frame.loc[(frame["agency"] == "平潭综合实验区") & (frame["key"] == "requests.new.total"), "value"]
    assert got.tolist() == [wanted]

    path = tmp_path / "all.jsonl"
    failure = error_record("bad.html", EmptyInputError("input is empty"))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in
                            [reports[0].to_dict(), failure, reports[1].to_dict()]), encoding="utf-8")
    from_file = export.to_dataframe(str(path), kind="metrics")
    pandas.testing.assert_frame_equal(from_file, frame)
    index = export.to_dataframe(path, kind="reports")
    assert index["agency"].tolist()[0] == "平潭综合实验区"
    assert index["error_type"].tolist()[1] == "EmptyInputError"
    assert index["is_report"].tolist()[2] is True


def test_to_dataframe_sections_through_the_package():
    pytest.importorskip("pandas")
    import zqparse

    frame = zqparse.to_dataframe(parsed("pingtan-zhq-2021.html"), kind="sections")
    assert "收到和处理政府信息公开申请情况" in frame["title"].tolist()
    assert set(frame["agency"]) == {"平潭综合实验区"}


def test_to_dataframe_without_pandas_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"zqparse\[pandas\]"):
        export.to_dataframe([parsed("zhaoqing-mzj-2018.txt")])


def test_import_zqparse_stays_light():
    code = ("import sys, zqparse; zqparse.to_dataframe; zqparse.parse_many; "
            "print(sorted(m for m in ('pandas', 'lxml', 'jieba', 'bs4', 'tqdm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- reading output back

def test_json_json_lines_and_one_record_all_read_back(tmp_path):
    one = zqparse.parse(fixture_path("pingtan-zhq-2021.html")).to_dict()
    other = zqparse.parse(fixture_path("zhaoqing-mzj-2018.txt")).to_dict()
    (tmp_path / "one.json").write_text(json.dumps(one, ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([one, other], ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp_path / "many.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (one, other)),
                                         encoding="utf-8")
    assert [r["meta"]["agency"] for r in export.read_records(tmp_path / "one.json")] == ["平潭综合实验区"]
    for name in ("many.json", "many.jsonl"):
        assert [r["meta"]["agency"] for r in export.read_records(tmp_path / name)] == ["平潭综合实验区", "肇庆市民政局"]


@pytest.mark.parametrize("content", ["<html><body><p>一、总体情况</p></body></html>", "path,agency\na,b\n", "",
                                     '{"hello": 1}\n', "[1, 2]"])
def test_a_file_that_is_not_zqparse_output_is_an_input_error(tmp_path, content):
    path = tmp_path / "page.html"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(zqparse.InputError, match="zqparse"):
        list(export.read_records(path))
    with pytest.raises(zqparse.InputError):
        zqparse.to_dataframe(str(path))


def test_load_gives_reports_and_failures_back(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(export.render_jsonl(zqparse.parse(fixture_path("pingtan-zhq-2019.html")).to_dict())
                   + export.render_jsonl(zqparse.Failure("x.html", None, None, "EmptyInputError", "no text").to_dict()),
                   encoding="utf-8")
    report, failure = zqparse.load(out)
    assert isinstance(report, zqparse.Report) and report.tables["requests"]["requests.new.total"].value == 23
    assert failure == zqparse.Failure("x.html", None, None, "EmptyInputError", "no text")


def test_an_exhausted_generator_gives_a_warning_not_a_silent_empty_frame():
    pytest.importorskip("pandas")
    records = zqparse.parse_many([str(fixture_path("zhaoqing-mzj-2018.txt"))])
    assert len(zqparse.to_dataframe(records, kind="metrics")) == 4
    with pytest.warns(UserWarning, match="parse_many yields its records once"):
        frame = zqparse.to_dataframe(records, kind="metrics")
    assert frame.empty
