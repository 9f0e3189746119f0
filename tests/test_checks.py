"""The arithmetic checks of 表三 and 表四: pass on consistent real reports, fail when one cell changes."""
from __future__ import annotations

import pytest

from zqparse.checks import RULES, table_checks

from conftest import parsed
from test_tables import with_cell

PAGES = {"pingtan-zhq-2019.html": 23, "pingtan-zhq-2021.html": 25, "pingtan-zhq-2022.html": 25,
         "pingtan-zhq-2025.html": 25}


def _table_checks(report):
    return [c for c in report.checks if c.rule in RULES]


def _one(report, rule, where):
    found = [c for c in report.checks if c.rule == rule and c.where == where]
    assert len(found) == 1, (rule, where, found)
    return found[0]


@pytest.mark.parametrize("name,rows", PAGES.items())
def test_every_identity_holds_on_consistent_reports(name, rows):
    checks = _table_checks(parsed(name))
    assert len(checks) == 7 + rows + 7 + 3
    assert all(c.ok is True for c in checks), [c for c in checks if c.ok is not True]
    assert {c.rule for c in checks} == set(RULES)


def test_balance_fails_when_carried_forward_changes():
    report = with_cell("pingtan-zhq-2021.html", "四、结转下年度继续办理", -7, "2")
    balance = _one(report, "requests.balance", "natural_person")
    assert balance.ok is False and (balance.left, balance.right) == (64, 65)
    assert "64" in balance.message and "65" in balance.message
    assert _one(report, "requests.balance", "business").ok is True
    row = _one(report, "requests.row_total", "carried_forward")
    assert row.ok is False and (row.left, row.right) == (1, 2)
    # a failure describes the report; nothing is repaired
    assert report.metrics["requests.carried_forward.natural_person"] == 2
    assert report.metrics["requests.carried_forward.total"] == 1


def test_row_total_and_results_total_fail_when_a_result_cell_changes():
    report = with_cell("pingtan-zhq-2021.html", "三、本年度办理结果", -7, "28")  # (一)予以公开 自然人 27→28
    row = _one(report, "requests.row_total", "granted")
    assert row.ok is False and (row.left, row.right) == (30, 31)
    results = _one(report, "requests.results_total", "natural_person")
    assert results.ok is False and (results.left, results.right) == (63, 64)
    assert _one(report, "requests.balance", "natural_person").ok is True
    assert _one(report, "requests.results_total", "total").ok is True


def test_results_total_counts_the_2019_single_other_row():
    # the first result row, (一)予以公开, carries the rowspan label 三、本年度办理结果; its 总计 7→24
    report = with_cell("pingtan-zhq-2019.html", "三、本年度办理结果", -1, "24")
    results = _one(report, "requests.results_total", "total")
    assert results.ok is False and results.left == 23 and results.right == 40
    other = with_cell("pingtan-zhq-2019.html", "(六)其他处理", -7, "1")
    assert _one(other, "requests.results_total", "natural_person").ok is False
    assert _one(other, "requests.row_total", "other").ok is False


def test_review_total_fails_when_a_result_changes():
    report = with_cell("pingtan-zhq-2021.html", "1", 0, "2")  # 表四's value row starts with 复议 结果维持
    review = _one(report, "review.total", "review.total")
    assert review.ok is False and (review.left, review.right) == (3, 4)
    assert _one(report, "litigation.direct.total", "litigation.direct.total").ok is True


def test_litigation_totals_fail_when_their_total_changes():
    report = with_cell("pingtan-zhq-2021.html", "1", 9, "13")  # 直接起诉 总计 12→13
    direct = _one(report, "litigation.direct.total", "litigation.direct.total")
    assert direct.ok is False and (direct.left, direct.right) == (13, 12)
    after = with_cell("pingtan-zhq-2021.html", "1", 10, "1")  # 复议后起诉 结果维持 0→1
    assert _one(after, "litigation.after_review.total", "litigation.after_review.total").ok is False


def test_blank_cells_are_unknown_and_named():
    report = with_cell("pingtan-zhq-2021.html", "一、本年新收政府信息公开申请数量", -6, "—")
    balance = _one(report, "requests.balance", "business")
    assert balance.ok is None and balance.left is None and balance.right == 0
    assert "requests.new.business" in balance.message and "—" in balance.message
    row = _one(report, "requests.row_total", "new")
    assert row.ok is None and "requests.new.business" in row.message
    assert _one(report, "requests.balance", "natural_person").ok is True


def test_a_blank_filled_table_is_checked_with_blanks_as_unknown():
    report = parsed("other-cms/shuyang-fgj-2023.html")
    assert _one(report, "requests.balance", "natural_person").ok is True
    assert _one(report, "requests.balance", "total").ok is True
    blank = _one(report, "requests.balance", "research")
    assert blank.ok is None and "blank" in blank.message
    assert all(c.ok is None for c in report.checks if c.rule == "requests.row_total")
    assert _one(report, "review.total", "review.total").ok is True


def test_missing_rows_are_unknown():
    report = parsed("excerpts/pingwu-tjj-2021.txt")
    assert table_checks(report.tables) == ()
    tables = dict(parsed("pingtan-zhq-2021.html").tables)
    from dataclasses import replace

    requests = tables["requests"]
    tables["requests"] = replace(requests, cells={k: c for k, c in requests.cells.items() if ".partial." not in k},
                                 complete=False)
    checks = table_checks(tables)
    results = [c for c in checks if c.rule == "requests.results_total"]
    assert all(c.ok is None and "not found" in c.message for c in results)


def test_the_docs_list_every_rule():
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    tables = (docs / "tables.md").read_text(encoding="utf-8")
    table = tables[tables.index("| rule | where |"):]
    assert re.findall(r"^\| `([a-z_.]+)` \|", table, re.M) == list(RULES)
    schema = (docs / "schema.md").read_text(encoding="utf-8")
    listed = schema[schema.index("Rules in use today"):schema.index("### warnings")]
    assert set(RULES) <= set(re.findall(r"`([a-z_.]+)`", listed))
