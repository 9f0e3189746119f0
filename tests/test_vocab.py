"""The vocabulary's named rules against their own examples, and each vocabulary tied to its source."""
from __future__ import annotations

import re

import pytest

from zqparse import templates, vocab
from zqparse.sections import read_heading, section_kind

RULE_TABLES = {
    "HEADING_RULES": vocab.HEADING_RULES,
    "NOT_HEADING_RULES": vocab.NOT_HEADING_RULES,
    "SECTION_KINDS": vocab.SECTION_KINDS,
    "CONTENT_KINDS": vocab.CONTENT_KINDS,
}


def _cases(rules, attribute):
    return [pytest.param(rule, example, id=f"{rule.name}-{i}")
            for rule in rules for i, example in enumerate(getattr(rule, attribute))]


@pytest.mark.parametrize("table", sorted(RULE_TABLES))
def test_rules_are_named_once_and_have_examples(table):
    rules = RULE_TABLES[table]
    names = [rule.name for rule in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert rule.examples, rule.name


def test_rule_names_are_unique_across_the_heading_tables():
    names = [rule.name for rule in vocab.HEADING_RULES + vocab.NOT_HEADING_RULES]
    assert len(names) == len(set(names)) and "" not in names


@pytest.mark.parametrize("rule, line", _cases(vocab.HEADING_RULES, "examples"))
def test_heading_rule_examples_are_headings_of_its_level(rule, line):
    heading = read_heading(line)
    assert (heading.rule, heading.level) == (rule.name, rule.level)
    assert line[:heading.title_end].endswith(heading.title)


@pytest.mark.parametrize("rule, line", _cases(vocab.HEADING_RULES, "non_examples"))
def test_heading_rule_non_examples_are_not_headings_of_its_level(rule, line):
    assert read_heading(line).rule != rule.name


@pytest.mark.parametrize("rule, line", _cases(vocab.NOT_HEADING_RULES, "examples"))
def test_not_heading_rule_examples_are_refused_by_it(rule, line):
    heading = read_heading(line)
    assert (heading.rule, heading.level) == (rule.name, 0)


@pytest.mark.parametrize("rule, line", _cases(vocab.NOT_HEADING_RULES, "non_examples"))
def test_not_heading_rule_non_examples_are_not_refused_by_it(rule, line):
    heading = read_heading(line)
    assert heading.rule != rule.name and heading.level


def test_an_enumeration_is_no_heading_of_any_level():
    assert read_heading("一是加强领导。二是完善制度。").rule == ""


@pytest.mark.parametrize("rule, title", _cases(vocab.SECTION_KINDS, "examples"))
def test_section_kind_examples_are_of_that_kind(rule, title):
    assert section_kind(title) == rule.name


@pytest.mark.parametrize("rule, title", _cases(vocab.SECTION_KINDS, "non_examples"))
def test_section_kind_non_examples_are_not_found_by_its_pattern(rule, title):
    assert re.search(rule.pattern, title) is None


@pytest.mark.parametrize("rule, body", _cases(vocab.CONTENT_KINDS, "examples"))
def test_content_kind_examples_give_that_kind_under_a_title_that_names_none(rule, body):
    from zqparse.sections import content_kind

    assert content_kind("具体措施抓成效", body) == rule.name
    assert content_kind("依申请公开情况", body) == "requests"  # a title that names a kind wins


@pytest.mark.parametrize("rule, body", _cases(vocab.CONTENT_KINDS, "non_examples"))
def test_content_kind_non_examples_are_not_found_by_its_pattern(rule, body):
    assert re.search(rule.pattern, body) is None


def test_a_free_worded_heading_takes_its_kind_from_what_it_holds():
    from zqparse import parse

    text = ("安仁乡人民政府2010年政府信息公开年度报告\n一、领导重视抓落实\n我乡成立了政府信息公开工作领导小组。\n"
            "二、具体措施抓成效\n我乡在2010年度共计制作、获取政府信息总数148条,其中主动公开信息有103条。\n")
    assert [s.kind for s in parse(text).sections] == ["overview", "proactive"]


# --------------------------------------------------------------------------- tied to templates.py


def _heading_numbered(marker: str) -> bool:
    """一 二 (一) … (七): numbering a heading rule reads (表三's 1 2 3 … are row numbers under a group)."""
    return not marker.isdecimal()


def test_table_row_labels_are_the_heading_numbered_labels_of_table_three():
    """Every label in vocab.TABLE_ROW_LABELS is one of 表三's (templates.py), and every 表三 label
    printed with a heading's numbering is among them (by its start)."""
    request_labels = {label for row in templates.REQUEST_ROWS if _heading_numbered(row.marker)
                      for label in row.labels}
    group_labels = {heading.split(")", 1)[1] for heading in templates.REQUEST_GROUPS.values()}
    printed = request_labels | group_labels | {templates.REQUEST_RESULTS_HEADING}
    ours = [label.rstrip("$") for label in vocab.TABLE_ROW_LABELS]
    for label in ours:
        assert any(p.startswith(label) for p in printed), label
    for label in printed:
        assert any(label.startswith(o) for o in ours), label


def _printed_by(version: str):
    """Every 表二 / 表三 label ``version`` prints, and every one the other version prints."""
    own, other = [], []
    for spec in templates.PROACTIVE_FIELDS:
        (own if spec.template == version else other).extend(spec.labels)
    for row in templates.PROACTIVE_ROWS + templates.REQUEST_ROWS:
        if version in row.templates:
            own.extend(row.labels)
        if set(row.templates) - {version}:
            other.extend(row.labels)
    return own, other


@pytest.mark.parametrize("version", templates.TEMPLATES)
def test_family_signatures_are_labels_only_their_version_prints(version):
    own, other = _printed_by(version)
    for signature in vocab.FAMILY_SIGNATURES[version]:
        assert any(signature in label for label in own), signature
        assert not any(signature in label for label in other), signature


def test_template_headings_come_from_the_tables_printed_names():
    assert vocab.TEMPLATE_HEADINGS == "收到和处理政府信息公开申请|政府信息公开行政复议、行政诉讼"
