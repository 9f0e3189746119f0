"""Failure classes of reports from unseen sites (issue 12), each on a real text of fixtures/wild-cases/."""
from __future__ import annotations

import pytest

from conftest import parsed
from zqparse.script import fold


def test_fold_keeps_length_and_simplified_text():
    assert fold("政府信息公開工作年度報告") == "政府信息公开工作年度报告"
    text = "主動公開 依申請 行政復議"
    assert len(fold(text)) == len(text)
    simplified = "主动公开政府信息情况"
    assert fold(simplified) is simplified


def test_traditional_mirror_sections_match_and_stay_as_printed():
    report = parsed("wild-cases/rongcheng-shidao-2008.txt")
    assert [(s.title, s.kind) for s in report.sections] == [
        ("主動公開政府信息的情況", "proactive"),
        ("依申請公開政府信息和不予公開政府信息的情況", "requests"),
        ("政府信息公開收費及減免情況", "fees"),
        ("因政府信息公開申請行政復議、提起行政訴訟的情況", "review_litigation"),
        ("存在的主要問題及改進情況", "problems"),
    ]
    # the body's subject (石島管理區) gives way to the full name signed at the end
    assert report.meta.agency == "榮成市人民政府石島管理區管委會"
    assert report.meta.year == 2008 and report.meta.is_report


def test_traditional_intro_agency_without_the_mirrors_pinyin():
    meta = parsed("wild-cases/guangzhou-tjj-2017.txt").meta
    assert meta.agency == "廣州市統計局"  # 由廣州市統(tǒng)計局編制的…: the pinyin is the mirror's
    assert meta.year == 2017 and meta.is_report


@pytest.mark.parametrize("name, title, agency", [
    # the agency's name on the line above a year-led title
    ("wild-cases/gaoping-szfbgs-2023.txt", "高平市人民政府办公室2023年政府信息公开工作年度报告", "高平市人民政府办公室"),
    # a column banner (2012年…年度报告) above the named title
    ("wild-cases/xingguo-nankengxiang-2012.txt", "南坑乡人民政府2012年政府信息公开工作年度报告", "南坑乡人民政府"),
    # a 标题: label; the year first, the agency after it
    ("wild-cases/tunchang-nanlvzhen-2012.txt", "2012年度屯昌县南吕镇政府信息公开工作年度报告", "屯昌县南吕镇"),
    # a whole report on one line: the title stops where its line did
    ("wild-cases/jinxiang-slj-2009-flat.txt", "金乡县水务局2009年政府信息公开工作年度报告", "金乡县水务局"),
])
def test_title_candidates_are_scored(name, title, agency):
    meta = parsed(name).meta
    assert (meta.title, meta.agency) == (title, agency)


def test_agency_in_the_intro_keeps_the_government_that_the_subject_took():
    # 现特向社会公布2024年合水镇人民政府信息公开工作年度报告
    assert parsed("wild-cases/heping-heshuizhen-2024.txt").meta.agency == "合水镇人民政府"


def test_flattened_report_opens_its_inline_headings():
    sections = parsed("wild-cases/jinxiang-slj-2009-flat.txt").sections
    assert [(s.number, s.title, s.kind) for s in sections] == [
        ("一", "概述", "overview"), ("二", "主动公开政府信息情况", "proactive"),
        ("三", "因政府信息公开申请行政复议、提起行政诉讼的情况", "review_litigation"),
        ("四", "政府信息公开收费及减免情况", "fees"),
        ("五", "政府信息公开工作存在的主要问题和改进情况", "problems"),
        ("六", "其他需要报告的事项", "other"),
    ]


def test_markdown_heading_marks_are_not_part_of_headings():
    report = parsed("wild-cases/yanta-tjj-2019-md.md")
    assert [(s.title, s.kind) for s in report.sections][:3] == [
        ("总体情况", "overview"), ("主动公开政府信息情况", "proactive"), ("收到的处理政府信息公开申请情况", "requests")]
    assert report.meta.year == 2019 and report.meta.is_report
