"""Shared test helpers: the fixture folder and the hand-written gold answers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_path(name: str) -> Path:
    """The path of a fixture file (``fixtures/NAME``)."""
    path = FIXTURES / name
    assert path.is_file(), f"missing fixture {path}"
    return path


def gold(name: str) -> dict:
    """The gold answer ``fixtures/gold/NAME.json``."""
    return json.loads((FIXTURES / "gold" / f"{name}.json").read_text(encoding="utf-8"))


_CACHE: dict = {}


def parsed(name: str):
    """``zqparse.parse`` of a fixture, parsed once per test session."""
    import zqparse

    if name not in _CACHE:
        _CACHE[name] = zqparse.parse(fixture_path(name))
    return _CACHE[name]


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
