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


def flat_sections(sections):
    """The section tree in document order, outermost first."""
    for section in sections:
        yield section
        yield from flat_sections(section.children)


def assert_same_report(document, page, media: str) -> None:
    """A document made from a page reads as the page: sections, metrics, checks, the main metadata."""
    assert document.source.media == media
    assert [(s.number, s.level, s.title, s.kind) for s in flat_sections(document.sections)] == \
        [(s.number, s.level, s.title, s.kind) for s in flat_sections(page.sections)]
    assert document.metrics == page.metrics and page.metrics
    assert [c.to_dict() for c in document.checks] == [c.to_dict() for c in page.checks]
    assert (document.meta.agency, document.meta.year, document.meta.family, document.meta.is_report) == \
        (page.meta.agency, page.meta.year, page.meta.family, page.meta.is_report)
