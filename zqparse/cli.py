"""The ``zqparse`` command: parse report pages to JSON.

    zqparse parse FILE... [--format json|jsonl]

Every input gives exactly one record: the report, or an error record
``{"source": {...}, "error": {"type": ..., "message": ...}}``. The exit status is 0
when every input parsed, 1 when any gave an error record, 2 for bad usage.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional, Sequence

__all__ = ["main", "error_record"]


def error_record(path: Optional[str], error: BaseException) -> dict:
    """The record a failed input gives in bulk output."""
    return {
        "schema_version": 1,
        "source": {"path": path, "url": None},
        "error": {"type": type(error).__name__, "message": str(error)},
    }


def _parse_one(path: str) -> dict:
    from . import parse
    from .errors import ZqparseError

    try:
        return parse(path if path != "-" else sys.stdin.buffer.read()).to_dict()
    except ZqparseError as error:
        return error_record(path, error)


def _cmd_parse(args: argparse.Namespace) -> int:
    out = sys.stdout
    failed = 0
    records: List[dict] = []
    for path in args.inputs:
        record = _parse_one(path)
        if record["source"].get("path") is None and path != "-":
            record["source"]["path"] = path
        failed += "error" in record
        if args.format == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        else:
            records.append(record)
    if args.format == "json":
        document = records[0] if len(records) == 1 else records
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zqparse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse report pages (HTML or text) to JSON")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="report pages; - reads one page from stdin")
    p.add_argument("--format", choices=("json", "jsonl"), default="json",
                   help="json: one indented document (an array for several inputs); jsonl: one line per input")
    p.set_defaults(func=_cmd_parse)
    # -- more commands register below this line (keep this marker) --
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
