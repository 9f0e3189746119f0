"""templates.py is the one source of the template tables' labels and keys: the docs and the
other modules' copies are checked against it here."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from zqparse import templates, units

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def _expand(key: str) -> list:
    """proactive.{a,b}.c → proactive.a.c, proactive.b.c"""
    parts = [part.split(",") for part in re.split(r"[{}]", key)]
    return ["".join(choice) for choice in itertools.product(*parts)]


def _backticked(text: str) -> list:
    return [key for name in re.findall(r"`([^`]+)`", text) for key in _expand(name)]


SCHEMA = (DOCS / "schema.md").read_text(encoding="utf-8")
KEYS = SCHEMA[SCHEMA.index("## Canonical metric keys"):]


def proactive_keys(version: str) -> set:
    return {f"proactive.{row.stem}.{field}" for row in templates.PROACTIVE_ROWS if version in row.templates
            for field in templates.PROACTIVE_BLOCKS[version].get(row.block, ())}


def test_value_cell_units_are_counters_of_units_py():
    assert {name for name, _ in templates.UNITS} <= set(units.UNITS)


def test_schema_doc_lists_the_rows_of_table_three():
    rows = _between(KEYS, "| row | label |", "Columns:")
    first_cells = "\n".join(line.split("|")[1] for line in rows.splitlines()[2:] if line.startswith("|"))
    assert sorted(_backticked(first_cells)) == sorted(
        {row.key for row in templates.REQUEST_ROWS} | set(templates.REQUEST_GROUPS))


def test_schema_doc_lists_the_columns_of_table_three_with_their_labels():
    columns = _between(KEYS, "Columns:", "Example")
    assert re.findall(r"`(\w+)` \((\w+)\)", columns) == [(key, labels[0]) for key, labels in templates.REQUEST_COLUMNS]


def test_schema_doc_lists_the_cells_of_table_four():
    table_four = _between(KEYS, "Table 四", "Table 二")
    assert re.findall(r"`(\w+)` \((\w+)\)", table_four) == [(key, labels[0]) for key, labels in templates.REVIEW_RESULTS]
    groups = [name.removesuffix(".<r>") for name in re.findall(r"`([\w.]+\.<r>)`", table_four)]
    assert groups == [group for group, _ in templates.REVIEW_GROUPS]


@pytest.mark.parametrize("version", templates.TEMPLATES)
def test_schema_doc_lists_the_cells_of_table_two(version):
    table_two = _between(KEYS, "Table 二", "Prose reports")
    bullet = next(b for b in table_two.split("\n* ") if b.startswith(f"{version.removeprefix('template')} template"))
    assert sorted(set(_backticked(bullet))) == sorted(proactive_keys(version))


def test_tables_doc_counts_the_cells_of_each_table():
    doc = (DOCS / "tables.md").read_text(encoding="utf-8")
    counts = {version: len(proactive_keys(version)) for version in templates.TEMPLATES}
    assert f"2021: {counts[templates.T2021]} (" in doc and f"; 2019: {counts[templates.T2019]} |" in doc
    columns = len(templates.REQUEST_COLUMNS)
    for version, year in ((templates.T2021, "2021"), (templates.T2019, "2019")):
        rows = len(templates.request_rows(version))
        assert f"{year}: {rows} rows × {columns} = {rows * columns}" in doc
    assert f"| {len(templates.REVIEW_CELLS)} (the same in both versions) |" in doc
