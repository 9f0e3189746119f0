"""The JSON Schema of the output holds for every fixture's record, and for error records."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import zqparse
from zqparse.bulk import error_record
from zqparse.schema import json_schema

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
INPUTS = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and "gold" not in p.parts and p.suffix != ".json"
                and p.name != "CORPUS.md")
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_record_follows_the_schema(path):
    record = json.loads(zqparse.parse(path).to_json())
    errors = sorted(VALIDATOR.iter_errors(record), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors][:5] == []


def test_an_error_record_follows_the_schema():
    VALIDATOR.validate(error_record("a.html", zqparse.EmptyInputError("input holds no text")))


def test_a_record_with_a_field_the_schema_does_not_know_fails():
    record = json.loads(zqparse.parse(FIXTURES / "zhaoqing-mzj-2018.txt").to_json())
    record["meta"]["mayor"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(record)
