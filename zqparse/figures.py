"""Figures: every quantity in the running text, with unit, subject and provenance. (issue 3: in progress)"""
from __future__ import annotations

from typing import Sequence, Tuple

from .model import Check, Figure, Page, Section

__all__ = ["find_figures", "figure_checks"]


def find_figures(page: Page, sections: Sequence[Section]) -> Tuple[Figure, ...]:
    """Every quantity in the running text of ``page``, in document order."""
    return ()


def figure_checks(page: Page, figures: Sequence[Figure]) -> Tuple[Check, ...]:
    """Checks of stated totals against their listed parts (共… 其中…)."""
    return ()
