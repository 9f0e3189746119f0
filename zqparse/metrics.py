"""Canonical metrics: the figures that matter across reports, under SCHEMA.md keys. (issue 3: in progress)"""
from __future__ import annotations

from typing import Dict, Mapping, Sequence

from .model import Figure, Number, Page, Section

__all__ = ["canonical_metrics"]


def canonical_metrics(page: Page, sections: Sequence[Section], figures: Sequence[Figure],
                      from_tables: Mapping[str, Number]) -> Dict[str, Number]:
    """Metrics stated by the report: the template tables' cells win over the prose."""
    return dict(from_tables)
