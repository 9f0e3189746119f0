"""Arithmetic checks of the template tables: the definitional identities of TEMPLATES.md §3.

Each identity gives one :class:`~zqparse.model.Check` per column, row or block, with the
printed total on the left and the sum of its parts on the right. ``ok`` is None when a
cell it needs is blank or was not found, and the message names those cells. A failed
check describes the report as printed; nothing is ever repaired.

Rules:

* ``requests.balance`` (per column of 表三): 一 + 二 = （七）总计 + 四.
* ``requests.row_total`` (per row of 表三): 总计 = the six applicant columns.
* ``requests.results_total`` (per column of 表三): （七）总计 = the sum of the result rows.
* ``review.total``, ``litigation.direct.total``, ``litigation.after_review.total`` (表四):
  总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
"""
from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from .model import Check, Number, TableCell, TemplateTable
from .templates import REQUEST_COLUMNS, REVIEW_GROUPS, REVIEW_RESULTS, request_rows

__all__ = ["table_checks", "RULES"]

#: the rule names, stable across versions: 表三's three, and one total per 表四 group
RULES = ("requests.balance", "requests.row_total", "requests.results_total") + tuple(
    f"{group}.total" for group, _ in REVIEW_GROUPS)

#: 表三's rows that are not results of the year (一 二 (七)总计 四)
_NOT_RESULTS = ("new", "carried_over", "total", "carried_forward")
#: each 表三 column by its printed name
_COLUMN_NAMES = {column: labels[0] for column, labels in REQUEST_COLUMNS}
#: 表四's results that add up to its 总计, by their printed names
_REVIEW_PARTS = "+".join(labels[0] for result, labels in REVIEW_RESULTS if result != "total")
_EPSILON = 1e-6


def _terms(cells: Mapping[str, TableCell], keys: Sequence[str]) -> Tuple[Optional[Number], List[str]]:
    """The sum of the cells (None when one is unknown) and a description of the unknown ones."""
    total: Number = 0
    unknown = []
    for key in keys:
        cell = cells.get(key)
        if cell is None:
            unknown.append(f"{key} (not found)")
        elif cell.value is None:
            unknown.append(f"{key} (blank: {cell.raw!r})" if cell.raw else f"{key} (blank)")
        else:
            total += cell.value
    if unknown:
        return None, unknown
    return (round(total, 6) if isinstance(total, float) else total), []


def _check(rule: str, where: str, cells: Mapping[str, TableCell], left_keys: Sequence[str],
           right_keys: Sequence[str], left_name: str, right_name: str) -> Check:
    keys = tuple(left_keys) + tuple(right_keys)
    left, unknown_left = _terms(cells, left_keys)
    right, unknown_right = _terms(cells, right_keys)
    unknown = unknown_left + unknown_right
    if unknown:
        message = f"{left_name} = {right_name} cannot be decided: unknown " + ", ".join(unknown)
        return Check(rule, where, None, left, right, message, keys)
    assert left is not None and right is not None
    if abs(left - right) < _EPSILON:
        return Check(rule, where, True, left, right, f"{left_name} = {right_name} ({left})", keys)
    message = f"{left_name} = {right_name} does not hold as printed: {left} ≠ {right}"
    return Check(rule, where, False, left, right, message, keys)


def _requests(table: TemplateTable) -> List[Check]:
    rows = request_rows(table.template)
    columns = [c for c, _ in REQUEST_COLUMNS]
    results = [r.key for r in rows if r.key not in _NOT_RESULTS]
    cells = table.cells
    checks = []
    for column in columns:
        name = _COLUMN_NAMES[column]
        checks.append(_check(
            "requests.balance", column, cells,
            [f"requests.new.{column}", f"requests.carried_over.{column}"],
            [f"requests.total.{column}", f"requests.carried_forward.{column}"],
            f"一+二 ({name})", f"(七)总计+四 ({name})"))
    for row in rows:
        checks.append(_check(
            "requests.row_total", row.key, cells,
            [f"requests.{row.key}.total"],
            [f"requests.{row.key}.{c}" for c in columns if c != "total"],
            f"总计 of row {row.key}", "the six applicant columns"))
    for column in columns:
        name = _COLUMN_NAMES[column]
        checks.append(_check(
            "requests.results_total", column, cells,
            [f"requests.total.{column}"],
            [f"requests.{key}.{column}" for key in results],
            f"(七)总计 ({name})", f"the sum of the result rows ({name})"))
    return checks


def _review(table: TemplateTable) -> List[Check]:
    cells = table.cells
    checks = []
    parts = [r for r, _ in REVIEW_RESULTS if r != "total"]
    for group, labels in REVIEW_GROUPS:
        checks.append(_check(
            f"{group}.total", f"{group}.total", cells,
            [f"{group}.total"], [f"{group}.{r}" for r in parts],
            f"总计 of {labels[0]}", _REVIEW_PARTS))
    return checks


def table_checks(tables: Dict[str, TemplateTable]) -> Tuple[Check, ...]:
    """The definitional identities evaluated on the tables."""
    checks: List[Check] = []
    if "requests" in tables:
        checks.extend(_requests(tables["requests"]))
    if "review_litigation" in tables:
        checks.extend(_review(tables["review_litigation"]))
    return tuple(checks)
