"""zqparse: Chinese government information-disclosure annual reports into typed, checkable data.

    >>> import zqparse
    >>> report = zqparse.parse("fixtures/zhaoqing-mzj-2018.txt")
    >>> report.meta.agency, report.meta.year
    ('肇庆市民政局', 2018)

Importing the package is cheap: the parser (lxml, bs4, jieba) loads on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, List

from .errors import (BinaryInputError, EmptyInputError, FetchError, InputError, InputTooLargeError, ParseError,
                     ParseTimeoutError, ZqparseError)
from .model import (SCHEMA_VERSION, Block, Cell, Check, Failure, Figure, Meta, Report, Section, Source,
                    TableCell, TemplateTable)

__version__ = "0.1.0"

__all__ = [
    "parse",
    "parse_many", "to_dataframe", "load", "fetch",
    "Report", "Meta", "Source", "Section", "Figure", "Block", "Cell", "TemplateTable", "TableCell", "Check",
    "Failure",
    "SCHEMA_VERSION",
    "ZqparseError", "InputError", "EmptyInputError", "BinaryInputError", "InputTooLargeError", "ParseError",
    "ParseTimeoutError",
    "FetchError",
    "__version__",
]

_LAZY = {
    "parse": ("pipeline", "parse"),
    "parse_many": ("bulk", "parse_many"),
    "to_dataframe": ("export", "to_dataframe"),
    "load": ("export", "load"),
    "fetch": ("fetcher", "fetch"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .bulk import parse_many
    from .export import load, to_dataframe
    from .fetcher import fetch
    from .pipeline import parse


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        from importlib import import_module

        value = getattr(import_module(f".{module_name}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'zqparse' has no attribute {name!r}")


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(__all__))
