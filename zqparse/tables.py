"""The national template tables 表二, 表三, 表四 as typed tables. (issue 4: in progress)"""
from __future__ import annotations

from typing import Dict, List, Tuple

from .model import Number, Page, TemplateTable

__all__ = ["read_tables", "table_metrics"]


def read_tables(page: Page, family: str) -> Tuple[Dict[str, TemplateTable], List[str]]:
    """The template tables found on the page, by name, and warnings."""
    return {}, []


def table_metrics(tables: Dict[str, TemplateTable]) -> Dict[str, Number]:
    """Canonical metrics stated by the tables' cells (and group sums when all rows are stated)."""
    return {}
