"""Canonical metrics from prose, from appended statistics tables, and their precedence."""
from __future__ import annotations

import re

import pytest

from conftest import gold, parsed
from zqparse import parse
from zqparse.metrics import (FIGURE_RULES, NONE_RULES, PROSE_KEYS, canonical_metrics, prose_metrics, states_none,
                             statistics_table_metrics)

PROSE_GOLD = [
    "zhaoqing-mzj-2018", "excerpt-beijing-swj-2008", "excerpt-jinyun-sanxixiang-2018",
    "excerpt-panzhihua-sjj-2014", "excerpt-zoucheng-tangcunzhen-2010", "pingtan-dishui-2013",
    "pingtan-xian-2012", "pingtan-xian-2013", "pingtan-zhq-2011", "pingtan-zhq-2012", "pingtan-zhq-2014",
    "pingtan-zhq-2016", "pingtan-zhq-2017",
]


@pytest.mark.parametrize("name", PROSE_GOLD)
def test_prose_pages_match_the_gold(name):
    answer = gold(name)
    metrics = parsed(answer["file"]).metrics
    for key, want in answer["metrics"].items():
        assert metrics.get(key) == want, key


def test_seed_metrics():
    metrics = parsed("zhaoqing-mzj-2018.txt").metrics
    assert metrics == {"proactive.total": 1740, "requests.new.total": 7, "fees.collected_yuan": 0,
                       "review.total": 0}
    # 五、行政复议、诉讼和申诉情况 says only 未收到行政复议事项: no litigation metric
    assert "litigation.total" not in metrics


def test_statistics_table_takes_the_year_column_not_the_cumulative():
    report = parsed("pingtan-zhq-2016.html")
    stats = statistics_table_metrics(_page(report))
    assert stats["proactive.total"] == 3460  # not 历年累计 85376
    assert stats["requests.new.total"] == 0 and stats["litigation.total"] == 0
    # 接受行政诉讼、举报数 is not 行政诉讼数; 收费减免金额 is not fees collected
    assert "fees.collected_yuan" not in stats


def test_table_wins_over_prose_when_they_disagree():
    report = parsed("pingtan-zhq-2012.html")
    prose = prose_metrics(_page(report), report.sections, report.figures)
    assert prose["proactive.total"] == 1913  # 2012年主动公开政府信息1913条 …
    assert report.metrics["proactive.total"] == 739  # … but the 统计表 says 739, and wins


def test_statements_of_none():
    text = ("一、概述\n本年度我局共主动公开政府信息12条。\n二、依申请公开情况\n本年度未收到政府信息公开申请。\n"
            "三、收费情况\n我局对依申请提供政府信息未收取任何费用。\n四、行政复议、行政诉讼情况\n"
            "本年度未发生有关政府信息公开的行政复议、行政诉讼案件。")
    assert parse(text).metrics == {"proactive.total": 12, "requests.new.total": 0, "fees.collected_yuan": 0,
                                   "review.total": 0, "litigation.total": 0}


def test_qualified_none_is_not_a_total():
    """未收到法人或者其他组织…的申请 says nothing of natural persons (pingwu 2021)."""
    metrics = parsed("excerpts/pingwu-tjj-2021.txt").metrics
    assert metrics["proactive.total"] == 73
    assert "requests.new.total" not in metrics


def test_running_total_and_approximate_statements():
    assert "proactive.total" not in parsed("excerpts/xixian-dizhangjd-2023.txt").metrics  # 截至…140余条
    assert parsed("pingtan-zhq-2025.html").metrics["proactive.total"] == 7700  # 累计…7700余条


def test_request_counts_only_under_a_requests_heading():
    # 共受理申请121510件 in 一、概述 is about administrative approvals
    report = parsed("pingtan-zhq-2014.html")
    prose = prose_metrics(_page(report), report.sections, report.figures)
    assert prose["requests.new.total"] == 1  # 三、…信函申请1条
    assert report.metrics["requests.new.total"] == 1


@pytest.mark.parametrize("name", ["pingtan-zhq-2019", "pingtan-zhq-2021", "pingtan-zhq-2022", "pingtan-zhq-2025"])
def test_template_pages_add_no_extra_keys(name):
    answer = gold(name)
    assert answer["metrics_complete"]
    metrics = parsed(answer["file"]).metrics
    extra = set(metrics) - set(answer["metrics"])
    assert not extra
    for key in ("proactive.total", "fees.collected_yuan"):
        if key in answer["metrics"]:
            assert metrics[key] == answer["metrics"][key]


def test_template_tables_win_for_the_same_key():
    report = parsed("pingtan-zhq-2022.html")
    page = _page(report)
    prose = prose_metrics(page, report.sections, report.figures)
    assert prose["requests.new.total"] == 75  # 全区收到政府信息公开申请75件 (new 74 + carried over 1)
    merged = canonical_metrics(page, report.sections, report.figures, {"requests.new.total": 74})
    assert merged["requests.new.total"] == 74


def test_pipe_rendered_statistics_table_in_text_input():
    text = ("一、概述\n主动公开政府信息情况见下表。\n"
            "指标名称 | 计量单位 | 2012年度 | 历年累计 |\n主动公开信息数 | 条 | 2026 | 3542 |\n"
            "受理依申请公开信息总数 | 条 | 21 | 21 |\n其中:1.同意公开答复数 | 条 | 17 | 17 |\n"
            "行政诉讼数 | 条 | - | 0 |\n")
    metrics = parse(text).metrics
    assert metrics["proactive.total"] == 2026
    assert metrics["requests.new.total"] == 21 and metrics["requests.granted.total"] == 17
    assert "litigation.total" not in metrics  # a '-' cell states no number


def test_prose_keys_are_the_schema_ones():
    for name in PROSE_GOLD:
        report = parsed(gold(name)["file"])
        assert set(prose_metrics(_page(report), report.sections, report.figures)) <= set(PROSE_KEYS)


def _page(report):
    from zqparse.model import Page

    return Page(text=report.text, blocks=report.blocks, head={}, chrome="", media="html")


def _figure_cases(attribute):
    return [pytest.param(rule, sentence, id=f"{rule.name}-{i}")
            for rule in FIGURE_RULES for i, sentence in enumerate(getattr(rule, attribute))]


def test_figure_rules_are_named_once_and_have_examples():
    names = [rule.name for rule in FIGURE_RULES]
    assert len(names) == len(set(names))
    assert all(rule.examples and rule.non_examples for rule in FIGURE_RULES)
    assert {rule.key for rule in FIGURE_RULES} <= set(PROSE_KEYS)


@pytest.mark.parametrize("rule, sentence", _figure_cases("examples"))
def test_figure_rule_examples_state_their_metric(rule, sentence):
    value = parse(sentence + "。").metrics.get(rule.key)  # a page without sections is read everywhere
    assert value is not None and re.search(rf"(?<!\d){value}(?:{'|'.join(rule.units)})", sentence)


@pytest.mark.parametrize("rule, sentence", _figure_cases("non_examples"))
def test_figure_rule_non_examples_do_not(rule, sentence):
    assert rule.key not in parse(sentence + "。").metrics


def _none_cases(attribute):
    return [pytest.param(rule, sentence, id=f"{rule.name}-{i}")
            for rule in NONE_RULES for i, sentence in enumerate(getattr(rule, attribute))]


def test_none_rules_are_named_once_and_have_examples():
    names = [rule.name for rule in NONE_RULES]
    assert len(names) == len(set(names))
    assert all(rule.examples and rule.non_examples for rule in NONE_RULES)
    assert {rule.key for rule in NONE_RULES} <= set(PROSE_KEYS)


@pytest.mark.parametrize("rule, sentence", _none_cases("examples"))
def test_none_rule_examples_state_their_metric_is_zero(rule, sentence):
    hit = states_none(rule, sentence)
    assert hit is not None
    assert any(word in hit.group() for word in rule.needs)
    assert parse(sentence + "。").metrics.get(rule.key) == 0  # a page without sections is read everywhere


@pytest.mark.parametrize("rule, sentence", _none_cases("non_examples"))
def test_none_rule_non_examples_state_no_none(rule, sentence):
    assert states_none(rule, sentence) is None
    assert parse(sentence + "。").metrics.get(rule.key) != 0


def test_every_statement_of_none_holds_one_of_its_rules_words():
    """A block without any of a none rule's words is not searched for it: so every match must hold one."""
    import glob
    import os

    samples = ["不存在逾期答复的情况", "免费提供政府信息", "暂不收取检索费", "无因政府信息公开申请行政复议、诉讼的情况"]
    samples += [sentence for rule in NONE_RULES for sentence in rule.examples + rule.non_examples]
    here = os.path.dirname(__file__)
    for path in sorted(glob.glob(os.path.join(here, "..", "fixtures", "*.txt")))[:6]:
        samples.append(parsed(os.path.basename(path)).text)
    found = 0
    for rule in NONE_RULES:
        for text in samples:
            for match in re.finditer(rule.pattern, text):
                found += 1
                assert any(word in match.group() for word in rule.needs), (rule.name, match.group())
    assert found >= len(NONE_RULES)


# --------------------------------------------------------------------------- tied to their sources


def test_count_units_are_counters_of_units_py():
    from zqparse import units
    from zqparse.metrics import COUNT_UNITS

    assert set(COUNT_UNITS) <= set(units.UNITS)
    assert all(set(rule.units) <= set(units.UNITS) for rule in FIGURE_RULES)


def test_prose_keys_are_the_schema_docs_list():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")
    prose = doc[doc.index("Prose reports (and the prose parts"):doc.index("An approximate statement")]
    assert re.findall(r"`([a-z_.]+)`", prose) == list(PROSE_KEYS)


def test_every_key_and_place_a_rule_names_is_declared():
    from zqparse.metrics import PLACES, STAT_ROWS, TEMPLATE_PROSE_KEYS
    from zqparse.vocab import SECTION_KINDS

    assert set(TEMPLATE_PROSE_KEYS) | {key for key, _ in STAT_ROWS} <= set(PROSE_KEYS)
    assert {rule.place for rule in FIGURE_RULES + NONE_RULES} <= set(PLACES)
    kinds = {kind.name for kind in SECTION_KINDS}
    assert all(set(place_kinds) <= kinds for place_kinds, _ in PLACES.values())
