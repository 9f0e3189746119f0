"""Arithmetic checks of the template tables (TEMPLATES.md §3). (issue 4: in progress)"""
from __future__ import annotations

from typing import Dict, Tuple

from .model import Check, TemplateTable

__all__ = ["table_checks"]


def table_checks(tables: Dict[str, TemplateTable]) -> Tuple[Check, ...]:
    """The definitional identities evaluated on the tables."""
    return ()
