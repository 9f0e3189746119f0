"""The data model as a notebook user and a dependent tool meet it: short reprs, HTML,
tables by key, and Reports back from their JSON."""
from __future__ import annotations

import dataclasses
import json

import pytest

import zqparse
from zqparse.model import Failure, Report, TemplateTable
from conftest import fixture_path, parsed

ROUND_TRIP = ["pingtan-zhq-2021.html", "pingtan-zhq-2019.html", "pingtan-zhq-2012.html", "zhaoqing-mzj-2018.txt",
              "pdf/huaian-szf-2024.pdf", "not-reports/pingtan-notice-2021.html"]


def test_the_repr_is_one_short_line():
    report = parsed("pingtan-zhq-2021.html")
    text = repr(report)
    assert text == ("<Report 平潭综合实验区 2021 (template2021): 13 sections, "
                    f"{len(report.figures)} figures, 3 tables, {len(report.metrics)} metrics, 0 failed checks>")
    assert len(text) < 200 and "\n" not in text


def test_a_page_that_is_no_report_says_so_in_its_repr():
    assert "(not a report)" in repr(parsed("not-reports/pingtan-notice-2021.html"))


def test_a_table_is_read_by_key_as_in_the_json():
    table = parsed("pingtan-zhq-2021.html").tables["requests"]
    cell = table["requests.new.natural_person"]
    assert (cell.raw, cell.value) == ("64", 64)
    assert "requests.new.natural_person" in table and table.get("requests.nope") is None
    assert list(table.cells)[:2] == ["requests.new.natural_person", "requests.new.business"]
    with pytest.raises(KeyError):
        table["requests.nope"]


def test_a_table_as_a_frame_is_the_grid_show_prints_and_a_blank_is_na():
    pandas = pytest.importorskip("pandas")
    table = parsed("pingtan-zhq-2021.html").tables["requests"]
    frame = table.to_frame()
    assert frame.loc["new", "natural_person"] == 64 and frame.loc["total", "total"] == 69
    assert list(frame.index[:3]) == ["new", "carried_over", "granted"] and frame.shape == (25, 7)
    blank = dataclasses.replace(table.cells["requests.new.business"], raw="", value=None)
    with_blank = dataclasses.replace(table, cells={**table.cells, blank.key: blank})
    assert with_blank.to_frame().loc["new", "business"] is pandas.NA


def test_the_html_of_a_report_shows_its_tables_marks_failed_cells_and_escapes_text():
    report = parsed("pingtan-zhq-2021.html")
    cell = report.tables["requests"].cells["requests.new.natural_person"]
    broken = dataclasses.replace(report.tables["requests"], cells={
        **report.tables["requests"].cells, cell.key: dataclasses.replace(cell, raw="65", value=65)})
    tables = {**report.tables, "requests": broken}
    from zqparse.checks import table_checks

    bad = dataclasses.replace(report, tables=tables, checks=table_checks(tables),
                              meta=dataclasses.replace(report.meta, title="<script>alert(1)</script>"))
    html = bad._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<td style="background:#fdd" title="requests.new.natural_person">65</td>' in html
    assert "Failed checks (" in html and "requests.balance" in html
    assert "一、总体情况" in html and "<caption>requests (template2021, complete)</caption>" in html


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_a_report_comes_back_from_its_json(name):
    report = zqparse.parse(fixture_path(name))
    again = Report.from_dict(json.loads(report.to_json()))
    assert again.to_dict() == report.to_dict()
    assert isinstance(next(iter(again.tables.values()), TemplateTable("x", "y", {})), TemplateTable)


def test_an_error_record_is_a_failure_not_a_report():
    record = Failure("a.html", None, None, "EmptyInputError", "input holds no text").to_dict()
    with pytest.raises(ValueError, match="an error record"):
        Report.from_dict(record)
    assert Failure.from_dict(record) == Failure("a.html", None, None, "EmptyInputError", "input holds no text")
    with pytest.raises(ValueError, match="not a zqparse report record"):
        Report.from_dict({"hello": 1})
