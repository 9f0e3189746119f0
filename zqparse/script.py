"""Traditional script folded to Simplified, character for character, for matching only.

Mirror sites print reports in Traditional characters (政府信息公開…年度報告, 主動公開,
依申請). Every rule is written in Simplified; a stage matches its rules on
:func:`fold` of the text and reads what it keeps (titles, agencies, labels) from the
text as printed at the same positions: folding never changes a string's length.

The table is OpenCC's single-character Traditional→Simplified dictionary
(``opencc_TSCharacters.txt``, from OpenCC via opencc-python-reimplemented 0.1.7, Apache
License 2.0: ``opencc_LICENSE.txt``); where it offers several Simplified characters the
first is taken.
"""
from __future__ import annotations

import functools
from dataclasses import replace
from importlib import resources
from typing import Dict, Tuple

from .model import Cell, Page

__all__ = ["fold", "fold_page", "TS_TABLE"]


def _load() -> Dict[int, int]:
    table: Dict[int, int] = {}
    text = resources.files(__package__).joinpath("opencc_TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = ord(target)
    return table


#: code point of a Traditional character → code point of its Simplified form
TS_TABLE = _load()


def fold(text: str) -> str:
    """``text`` with every Traditional character written in Simplified (same length; the
    same string when there is nothing to fold)."""
    folded = text.translate(TS_TABLE)
    return text if folded == text else folded


def fold_page(page: Page) -> Page:
    """``page`` with its text, blocks, cells, head and chrome folded (``page`` itself when its
    text holds no Traditional character)."""
    text = _fold_page_text(page.text)
    if text is page.text:
        return page
    blocks = tuple(replace(b, text=text[b.span[0]:b.span[1]] if b.kind == "para" else fold(b.text),
                           grid=_fold_grid(b.grid))
                   for b in page.blocks)
    head = {name: fold(value) for name, value in page.head.items()}
    return Page(text=text, blocks=blocks, head=head, chrome=fold(page.chrome), media=page.media)


@functools.lru_cache(maxsize=4)  # the stages after the section tree fold the same page text: once
def _fold_page_text(text: str) -> str:
    return fold(text)


def _fold_grid(grid: Tuple[Tuple[Cell, ...], ...]) -> Tuple[Tuple[Cell, ...], ...]:
    """The grid with each cell's text folded; a spanning cell stays one object in all its slots."""
    folded: Dict[int, Cell] = {}
    for row in grid:
        for cell in row:
            if id(cell) not in folded:
                folded[id(cell)] = replace(cell, text=fold(cell.text))
    return tuple(tuple(folded[id(cell)] for cell in row) for row in grid)
