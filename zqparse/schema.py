"""The JSON Schema of zqparse's output: one record of ``zqparse parse`` (a report, or an error record).

``zqparse schema`` prints it; ``docs/schema.md`` describes the same contract in words, and the
tests validate the output of every fixture against it. It describes this release's output
exactly (``additionalProperties`` false), so a field added to the output must be added here.
"""
from __future__ import annotations

from typing import Any, Dict

from .model import SCHEMA_VERSION

__all__ = ["json_schema", "SCHEMA_ID"]

SCHEMA_ID = f"urn:zqparse:record:v{SCHEMA_VERSION}"

_NUMBER = {"type": "number"}
_SPAN = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2}
_BOX = {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4,
        "description": "[x0, top, x1, bottom] in points from the page's top-left corner (PDF input only)"}
_PAGE = {"type": "integer", "minimum": 1, "description": "1-based page (PDF input only)"}


def _object(properties: Dict[str, Any], *, optional: tuple[str, ...] = ()) -> Dict[str, Any]:
    return {"type": "object", "properties": properties,
            "required": [name for name in properties if name not in optional], "additionalProperties": False}


def _nullable(schema: Dict[str, Any]) -> Dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def json_schema() -> Dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one output record."""
    source = _object({
        "path": _nullable({"type": "string"}), "url": _nullable({"type": "string"}),
        "sha256": {"type": "string"}, "encoding": {"type": "string"}, "bytes": {"type": "integer", "minimum": 0},
        "undecodable": {"type": "integer", "minimum": 0},
        "media": {"enum": ["html", "text", "pdf", "docx"]},
    })
    meta = _object({
        "title": _nullable({"type": "string"}), "agency": _nullable({"type": "string"}),
        "year": _nullable({"type": "integer"}),
        "published": _nullable({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
        "family": {"enum": ["prose", "template2019", "template2021", "unknown"]},
        "is_report": {"type": "boolean"},
    })
    section = _object({
        "number": {"type": "string"}, "level": {"type": "integer", "minimum": 1, "maximum": 5},
        "title": {"type": "string"},
        "kind": _nullable({"enum": ["overview", "proactive", "requests", "fees", "review_litigation", "problems",
                                    "other", "statistics"]}),
        "span": _SPAN, "heading_span": _SPAN,
        "children": {"type": "array", "items": {"$ref": "#/$defs/section"}},
    })
    figure = _object({
        "value": _NUMBER, "unit": {"type": "string"}, "raw": {"type": "string"}, "span": _SPAN,
        "section": _nullable({"type": "string"}), "subject": _nullable({"type": "string"}),
        "approx": {"type": "boolean"}, "page": _PAGE, "bbox": _BOX,
    }, optional=("page", "bbox"))
    cell = _object({
        "raw": {"type": "string"}, "value": _nullable(_NUMBER), "span": _nullable(_SPAN), "page": _PAGE, "bbox": _BOX,
    }, optional=("page", "bbox"))
    table = _object({
        "template": {"enum": ["template2019", "template2021"]}, "span": _nullable(_SPAN),
        "complete": {"type": "boolean"},
        "cells": {"type": "object", "additionalProperties": {"$ref": "#/$defs/cell"}},
    })
    check = _object({
        "rule": {"type": "string"}, "where": {"type": "string"}, "ok": _nullable({"type": "boolean"}),
        "left": _nullable(_NUMBER), "right": _nullable(_NUMBER), "message": {"type": "string"},
    })
    report = _object({
        "schema_version": {"const": SCHEMA_VERSION},
        "source": source, "meta": meta, "text": {"type": "string"},
        "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
        "figures": {"type": "array", "items": {"$ref": "#/$defs/figure"}},
        "tables": {"type": "object", "propertyNames": {"enum": ["proactive", "requests", "review_litigation"]},
                   "additionalProperties": {"$ref": "#/$defs/table"}},
        "metrics": {"type": "object", "propertyNames": {"pattern": r"^(proactive|requests|review|litigation|fees)\."},
                    "additionalProperties": _NUMBER},
        "checks": {"type": "array", "items": {"$ref": "#/$defs/check"}},
        "warnings": {"type": "array", "items": {"type": "string"}},
    })
    error = _object({
        "schema_version": {"const": SCHEMA_VERSION},
        "source": _object({"path": _nullable({"type": "string"}), "url": _nullable({"type": "string"}),
                           "sha256": _nullable({"type": "string"})}),
        "error": _object({"type": {"type": "string"}, "message": {"type": "string"}}),
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"zqparse output record, schema_version {SCHEMA_VERSION}",
        "description": "One report (Report.to_dict()) or one error record, as a line of `zqparse parse --format jsonl`.",
        "oneOf": [{"$ref": "#/$defs/report"}, {"$ref": "#/$defs/error"}],
        "$defs": {"report": report, "error": error, "section": section, "figure": figure, "cell": cell,
                  "table": table, "check": check},
    }
