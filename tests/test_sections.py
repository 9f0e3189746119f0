"""The section tree on real pages: numbers, levels, titles, kinds, and spans back into the text."""
from __future__ import annotations

import unicodedata

import pytest

from conftest import FIXTURES, gold, parsed
from zqparse.model import Block
from zqparse.sections import find_sections, heading_title, numeral_value, section_kind

GOLD_WITH_SECTIONS = sorted(p.stem for p in (FIXTURES / "gold").glob("*.json") if gold(p.stem).get("sections"))


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _flat(sections, level_max):
    out = []
    for s in sections:
        if s.level <= level_max:
            out.append(s)
            out.extend(_flat(s.children, level_max))
    return out


@pytest.mark.parametrize("name", GOLD_WITH_SECTIONS)
def test_sections_match_the_hand_written_outline(name):
    answer = gold(name)
    report = parsed(answer["file"])
    got = [(s.level, s.number, _nfkc(s.title)) for s in _flat(report.sections, answer["section_levels"])]
    want = [(s["level"], s["number"], _nfkc(s["title"])) for s in answer["sections"]]
    assert got == want


@pytest.mark.parametrize("name", GOLD_WITH_SECTIONS)
def test_level_one_kinds_match_gold(name):
    answer = gold(name)
    report = parsed(answer["file"])
    kinds = {(s.number, _nfkc(s.title)): s.kind for s in report.sections}
    for want in answer["sections"]:
        if want["level"] == 1 and "kind" in want:
            assert kinds[(want["number"], _nfkc(want["title"]))] == want["kind"]


def test_seed_outline_titles_and_spans():
    report = parsed("zhaoqing-mzj-2018.txt")
    top = report.sections
    assert [s.number for s in top] == ["一", "二", "三", "四", "五", "六", "七"]
    assert top[0].title == "概述" and top[0].kind == "overview"
    assert top[4].title == "行政复议、诉讼和申诉情况" and top[4].kind == "review_litigation"
    first = top[0].children[0]
    assert (first.level, first.number, first.title) == (2, "一", "强化组织领导")
    # the heading span slices the text back to the numeral and the title, not the paragraph it runs into
    assert report.text[slice(*first.heading_span)] == "(一)强化组织领导"
    assert report.text[slice(*top[1].heading_span)] == "二、主动公开政府信息情况"
    # a section's span runs to the next heading of its level
    assert report.text[slice(*top[1].span)].startswith("二、主动公开政府信息情况\n本年度我局共主动公开政府信息1740条")
    assert top[1].span[1] == top[2].span[0]


def test_every_span_slices_inside_the_text():
    for name in ("pingtan-zhq-2019.html", "pingtan-zhq-2016.html", "excerpts/panzhihua-sjj-2014.txt"):
        report = parsed(name)
        for section in report.walk_sections():
            start, end = section.heading_span
            assert 0 <= start < end <= len(report.text)
            assert report.text[start:end].endswith(section.title)
            assert section.span[0] == start and section.span[1] >= end


def test_enclosed_ideograph_headings_become_level_two():
    # 攀枝花 writes ㈠ ㈡ (NFKC gives (一) (二)) followed by a space
    report = parsed("excerpts/panzhihua-sjj-2014.txt")
    proactive = report.sections[1]
    assert [(c.level, c.number, c.title) for c in proactive.children] == [(2, "一", "公开内容"), (2, "二", "公开形式")]


def test_heading_that_runs_into_its_paragraph_is_cut_at_the_first_full_stop():
    report = parsed("pingtan-zhq-2025.html")
    titles = [c.title for c in report.sections[0].children]
    assert titles[0] == "主动公开方面"


def test_colon_cuts_only_when_a_paragraph_follows():
    assert heading_title("存在的主要问题:政策解读不够深入。下一步将加强。") == "存在的主要问题"
    assert heading_title("主动公开政府信息的数量:本年度共公开113条。") == "主动公开政府信息的数量:本年度共公开113条"
    assert heading_title("强化组织领导。我局着眼于建立长效机制。") == "强化组织领导"
    assert heading_title("总体情况") == "总体情况"


def _blocks(*lines):
    blocks, pos = [], 0
    for line in lines:
        blocks.append(Block("para", line, (pos, pos + len(line))))
        pos += len(line) + 1
    return blocks, pos


def test_enumerations_row_labels_and_out_of_sequence_numerals_are_not_headings():
    blocks, end = _blocks(
        "一、概述",
        "一是加强领导。二是完善制度。",
        "一、本年新收政府信息公开申请数量 | 5 | 0",
        "三、这一行跳号了但仍接受",
        "二、不会回头",
        "规章 |",
    )
    sections = find_sections(blocks, end)
    assert [(s.number, s.title) for s in sections] == [("一", "概述"), ("三", "这一行跳号了但仍接受")]


def test_numeral_values_and_kinds():
    assert [numeral_value(n) for n in ("三", "十", "十二", "二十", "7", "③")] == [3, 10, 12, 20, 7, 3]
    assert section_kind("政府信息公开情况统计表") == "statistics"
    assert section_kind("因政府信息公开申请行政复议、提起行政诉讼的情况") == "review_litigation"
    assert section_kind("政府信息公开的收费及减免情况") == "fees"
    assert section_kind("依申请公开政府信息和不予公开政府信息情况") == "requests"
    assert section_kind("存在的主要问题及改进情况") == "problems"
    assert section_kind("重点领域政府信息公开情况") == "other"
