"""Metadata on real pages: title, agency, year reported on, publication date, family, is_report."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, gold, parsed
from zqparse.meta import is_report_title, parse_date

GOLD = sorted(p.stem for p in (FIXTURES / "gold").glob("*.json"))


@pytest.mark.parametrize("name", GOLD)
def test_meta_matches_gold(name):
    answer = gold(name)
    meta = parsed(answer["file"]).meta.to_dict()
    for key, want in answer["meta"].items():
        assert meta[key] == want, key


def test_seed_metadata_from_plain_text_with_site_chrome():
    meta = parsed("zhaoqing-mzj-2018.txt").meta
    assert meta.title == "肇庆市民政局2018年政府信息公开工作年度报告"
    assert meta.agency == "肇庆市民政局"
    assert meta.year == 2018  # the year reported on, not the year published
    assert meta.published == "2019-03-22"  # the 发布时间 line of the page chrome
    assert meta.family == "prose" and meta.is_report


def test_article_title_meta_beats_the_split_body_heading():
    # the body prints 平潭综合实验区 / 2014年度…报告 over two lines and omits 管委会
    meta = parsed("pingtan-zhq-2014.html").meta
    assert meta.title == "平潭综合实验区管委会2014年度政府信息公开工作年度报告"
    assert meta.agency == "平潭综合实验区管委会"
    assert meta.published == "2015-01-02"


def test_title_printed_over_two_lines_is_joined():
    meta = parsed("excerpts/xixian-dizhangjd-2023.txt").meta
    assert meta.title == "西咸新区底张街道办事处2023年度政府信息公开工作年度报告"
    assert meta.family == "template2019"  # a 2023 report printing the 2019 trial tables


def test_cover_notice_page_takes_the_reports_own_heading_and_the_chinese_date():
    meta = parsed("excerpts/hezhou-shi-2009.txt").meta
    assert meta.title == "贺州市2009年度政府信息公开工作年度报告"
    assert meta.year == 2009
    assert meta.published == "2010-01-19"  # 二〇一〇年一月十九日


@pytest.mark.parametrize("name, agency", [
    ("excerpts/beijing-swj-2008.txt", "北京市水务局"),  # 由北京市水务局编制的…
    ("excerpts/ankang-tjj-2020.txt", "安康市统计局"),  # 由安康市统计局围绕…编制而成
    ("excerpts/taizhou-shi-2017.txt", "泰州市人民政府"),  # 现公布泰州市人民政府2017年…
])
def test_agency_from_the_intro_when_no_title(name, agency):
    assert parsed(name).meta.agency == agency


def test_published_from_a_pipe_rendered_info_block():
    assert parsed("excerpts/taizhou-shi-2017.txt").meta.published == "2018-02-28"


@pytest.mark.parametrize("name", ["not-reports/pingtan-letter-2014.html", "not-reports/pingtan-notice-2021.html"])
def test_pages_that_are_not_reports_say_so_with_a_warning(name):
    report = parsed(name)
    assert report.meta.is_report is False
    assert report.meta.family == "unknown"
    assert any(w.startswith("not an annual report") for w in report.warnings)


def test_report_titles():
    assert is_report_title("平潭综合实验区2019年度政府信息公开工作年度报告")
    assert is_report_title("攀枝花市审计局2014年政府信息公开年度报告")
    assert not is_report_title("贺州市人民政府办公室关于公布贺州市2009年度政府信息公开工作年度报告的通知")
    assert not is_report_title("关于2014年政府信息公开工作要点落实情况的函")
    assert not is_report_title("公示")


def test_dates():
    assert parse_date("2020-01-20 15:22") == "2020-01-20"
    assert parse_date("二○一二年二月二十日") == "2012-02-20"
    assert parse_date("2019年3月22日") == "2019-03-22"
    assert parse_date("2019年13月22日") is None


def test_a_list_of_reports_is_not_a_report():
    report = parsed("pingtan-list.html")
    assert report.meta.is_report is False
    assert report.meta.title == "政府信息公开年报"  # the column's name, from <title>
    assert report.meta.agency is None
    assert "not an annual report: a list of 10 reports" in report.warnings


def test_a_column_name_without_a_year_is_not_a_report_title():
    assert not is_report_title("政府信息公开年报")


def test_a_text_cut_before_its_title_is_a_report_when_it_opens_at_its_first_section_or_names_itself():
    # 一、政府信息公開主要做法 opens the text (a Traditional mirror); 本年报中所列数据的统计期限… opens the other
    for name in ("wild/jiangsu-sheng-2009.txt", "wild/hunan-gzw-2009.txt"):
        meta = parsed(name).meta
        assert meta.is_report and meta.family == "prose" and meta.year == 2009


def test_the_year_from_a_count_to_the_years_end():
    # no title, no period sentence: 截止2023年12月31日我局通过官方网站发布政务类信息34条
    assert parsed("wild/changchun-tyjrswj-2023.txt").meta.year == 2023
