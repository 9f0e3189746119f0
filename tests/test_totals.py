"""Totals against their listed parts: the figures.total checks of real reports."""
from __future__ import annotations

from conftest import parsed

SEED = "zhaoqing-mzj-2018.txt"


def test_seed_total_check_fails_and_is_reported_not_fixed():
    report = parsed(SEED)
    checks = [c for c in report.checks if c.rule == "figures.total"]
    failed = [c for c in checks if c.ok is False]
    assert len(failed) == 1
    check = failed[0]
    assert (check.left, check.right) == (177, 174)
    assert check.where == "六.(三)"
    assert "177个" in check.message
    assert next(f for f in report.figures if f.value == 177).value == 177  # the figure is kept as printed
    assert any(c.ok is True and c.left == 1740 and c.right == 1740 for c in checks)


def test_total_checks_on_pingtan_pages():
    def totals(name):
        return {(c.left, c.right, c.ok) for c in parsed(name).checks if c.rule == "figures.total"}

    assert (2599, 2533, False) in totals("pingtan-zhq-2019.html")  # parts in parentheses after the total
    assert (425, 421, False) in totals("pingtan-zhq-2011.html")  # 在…的425条政府信息中, …
    assert (1873, 471, None) in totals("pingtan-zhq-2011.html")  # 不予公开信息数1402 has no unit
    assert (3460, 3460, True) in totals("pingtan-zhq-2016.html")  # parts over two sentences
    assert all(left != 3636 for left, _, _ in totals("pingtan-zhq-2012.html"))  # 其中涉及: a selection
