"""The vocabulary of figures: every rule's own examples, each unit, and the lists tied to their source."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from zqparse import figures, parse, units
from zqparse.units import (AFTER_STOP, DURATION_UNITS, EVENT_UNITS, NOT_FIGURE_LEADS, NOT_FIGURE_RULES,
                           NOT_FIGURE_UNITS, NUMERAL_WORDS, SET_PHRASES, UNITS, NotFigureRule)

from conftest import fixture_path

RULES = {rule.name: rule for rule in NOT_FIGURE_RULES}
_LEAD = re.compile(f"[{NOT_FIGURE_LEADS}]")
#: the one rule whose match may start at any Chinese character (found by its place word instead)
_ANCHORED = "street_address"


def _figures(paragraph: str):
    return parse("一、概述\n" + paragraph + "\n").figures


def test_rule_names_are_unique_and_every_rule_has_examples():
    assert len(RULES) == len(NOT_FIGURE_RULES)
    assert all(isinstance(rule, NotFigureRule) for rule in NOT_FIGURE_RULES)
    assert all(rule.examples and rule.non_examples for rule in NOT_FIGURE_RULES)
    assert all(re.fullmatch(r"[a-z_]+", name) for name in RULES)


@pytest.mark.parametrize("rule", NOT_FIGURE_RULES, ids=[rule.name for rule in NOT_FIGURE_RULES])
def test_rule_matches_its_examples_and_none_of_its_non_examples(rule):
    pattern = regex.compile(rule.pattern)
    for example in rule.examples:
        assert pattern.search(example), example
    for text in rule.non_examples:
        assert not pattern.search(text), text


@pytest.mark.parametrize("rule", NOT_FIGURE_RULES, ids=[rule.name for rule in NOT_FIGURE_RULES])
def test_the_numbers_of_a_rules_examples_are_no_figures(rule):
    for example in rule.examples:
        assert _figures(example) == (), example


@pytest.mark.parametrize("rule", NOT_FIGURE_RULES, ids=[rule.name for rule in NOT_FIGURE_RULES])
def test_a_rules_examples_start_at_a_declared_lead_character(rule):
    """The search for not-figures tries only NOT_FIGURE_LEADS (and the places before a place word)."""
    pattern = regex.compile(rule.pattern)
    for example in rule.examples:
        start = pattern.search(example).start()
        assert rule.name == _ANCHORED or _LEAD.match(example, start), example


def test_a_street_address_takes_the_whole_place_name_extension_a_included():
    pattern = regex.compile(RULES["street_address"].pattern)
    assert pattern.search("地址:长沙县㮾梨街道3号").group() == "长沙县㮾梨街道3号"  # 㮾 is U+3BBE
    assert pattern.search("地址:𠀾家村12号").group() == "𠀾家村12号"  # 𠀾 is U+2003E


def _spans(text):
    return list(figures.not_figure_spans(text, 0, len(text)))


def _all_spans(text):
    return [m.span() for m in figures._NOT_FIGURE.finditer(text) if m.end() > m.start()]


def test_the_not_figure_search_finds_every_match_on_real_pages():
    for name in ("zhaoqing-mzj-2018.txt", "pingtan-zhq-2019.html", "pingtan-dishui-2013.html",
                 "excerpts/taizhou-shi-2017.txt"):
        text = parse(fixture_path(name)).text
        assert _spans(text) == _all_spans(text), name
        assert _spans(text)


_EXAMPLE_CHARS = sorted({ch for rule in NOT_FIGURE_RULES for text in rule.examples + rule.non_examples for ch in text})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_EXAMPLE_CHARS + list(" 是的共办理㮾𠀾\n")), max_size=60).map("".join))
def test_the_not_figure_search_equals_finditer_on_any_mix_of_the_rules_characters(text):
    assert _spans(text) == _all_spans(text)
    middle = len(text) // 2
    assert list(figures.not_figure_spans(text, middle, len(text))) == [
        m.span() for m in figures._NOT_FIGURE.finditer(text, middle, len(text)) if m.end() > m.start()]


# --------------------------------------------------------------------------- words that hold a numeral

@pytest.mark.parametrize("word", sorted(NUMERAL_WORDS))
def test_a_numeral_ending_a_numeral_word_is_no_figure(word):
    phrase = NUMERAL_WORDS[word]
    assert word in phrase
    assert _figures(phrase) == ()
    # the same phrase without the word's first characters states a figure: the word is what stops it
    assert _figures(phrase.replace(word, word[-1], 1)) != ()


# --------------------------------------------------------------------------- units

_NO_FIGURE_UNITS = set(NOT_FIGURE_UNITS) | set(DURATION_UNITS)


@pytest.mark.parametrize("unit", UNITS)
def test_every_unit_makes_a_figure_after_a_number(unit):
    found = _figures(f"本年共办理3{unit}相关事项。")
    if unit in _NO_FIGURE_UNITS:
        assert found == ()
    else:
        assert [(f.raw, f.value, f.unit) for f in found] == [(f"3{unit}", 3, unit)]


def test_derived_unit_lists_are_parts_of_units():
    for part in (NOT_FIGURE_UNITS, DURATION_UNITS, EVENT_UNITS):
        assert set(part) <= set(UNITS), set(part) - set(UNITS)


def test_a_unit_that_is_the_start_of_another_comes_after_it():
    """Units are tried longest first; the table keeps the longer one first too, as it says."""
    for i, unit in enumerate(UNITS):
        assert not any(other.startswith(unit) and other != unit for other in UNITS[i + 1:]), unit


@pytest.mark.parametrize("name", ["UNITS", "SET_PHRASES", "AFTER_STOP", "SUBJECT_FILLER", "SUBJECT_VERBS",
                                  "SUBJECT_TAIL", "SUBJECT_TERMS", "ARTICLE_BEFORE", "NOT_BEFORE", "PLACE_WORDS"])
def test_no_vocabulary_lists_a_word_twice(name):
    words = getattr(units, name)
    assert [w for w, n in Counter(words).items() if n > 1] == []


def test_the_unit_list_in_the_docs_is_units_units():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "figures.md").read_text(encoding="utf-8")
    listed = re.search(r"<!-- units\.UNITS -->\s*```\s*\n(.*?)\n\s*```", doc, re.S)
    assert listed, "docs/figures.md lists the units between <!-- units.UNITS --> and a code fence"
    assert listed.group(1).split() == list(UNITS)


def test_set_phrases_and_after_stop_are_words():
    assert all(len(p) > 1 for p in SET_PHRASES)
    assert all(w.strip() == w and w for w in AFTER_STOP)
