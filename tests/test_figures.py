"""Figures of real reports: values, units, spans, subjects, sections, and the total-vs-parts checks."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from conftest import gold, parsed
from zqparse import parse

SEED = "zhaoqing-mzj-2018.txt"

GOLD_WITH_FIGURES = [
    "zhaoqing-mzj-2018", "pingtan-dishui-2013", "pingtan-zhq-2016", "excerpt-ankang-tjj-2020",
    "excerpt-beijing-swj-2008", "excerpt-fuzhou-jinanqu-2016", "excerpt-hezhou-shi-2009",
    "excerpt-jinyun-sanxixiang-2018", "excerpt-nanping-shi-2012", "excerpt-panzhihua-sjj-2014",
    "excerpt-pingwu-tjj-2021", "excerpt-qinzhou-szfbgs-2013", "excerpt-taizhou-shi-2017",
    "excerpt-xixian-dizhangjd-2023", "excerpt-zoucheng-tangcunzhen-2010",
]


def _key(value, unit):
    return round(float(value), 6), unit


@pytest.mark.parametrize("name", GOLD_WITH_FIGURES)
def test_figures_match_the_gold(name):
    answer = gold(name)
    report = parsed(answer["file"])
    got = Counter(_key(f.value, f.unit) for f in report.figures)
    want = Counter(_key(f["value"], f["unit"]) for f in answer["figures"])
    assert got == want


def test_seed_1740():
    report = parsed(SEED)
    fig = next(f for f in report.figures if f.value == 1740)
    assert fig.unit == "条" and fig.raw == "1740条" and not fig.approx
    assert report.text[fig.span[0]:fig.span[1]] == "1740条"
    assert fig.section == "二"
    assert fig.subject == "主动公开政府信息"


def test_every_span_slices_its_raw():
    for name in (SEED, "pingtan-dishui-2013.html", "pingtan-zhq-2019.html"):
        report = parsed(name)
        assert report.figures
        for fig in report.figures:
            assert report.text[fig.span[0]:fig.span[1]] == fig.raw


def test_seed_subjects_and_sections():
    by_raw = {}
    for fig in parsed(SEED).figures:
        by_raw.setdefault(fig.raw, fig)
    assert by_raw["21项"].subject == "行政许可" and by_raw["21项"].section == "六.(三)"
    assert by_raw["40项"].subject == "行政处罚"
    assert by_raw["6份"].subject == "人大代表建议"
    assert by_raw["11份"].subject == "政协提案"
    assert by_raw["37个"].subject == "网民留言"
    assert by_raw["177个"].subject == "事项"
    assert by_raw["7份"].section == "三.(一)"


def test_seed_figures_in_document_order():
    figures = parsed(SEED).figures
    assert [f.span for f in figures] == sorted(f.span for f in figures)
    assert [f.raw for f in figures[:3]] == ["1740条", "830条", "540条"]


def test_approximate_and_chinese_figures():
    figs = {f.raw: f for f in parsed("pingtan-dishui-2013.html").figures}
    assert figs["约4900人次"].approx and figs["约4900人次"].value == 4900
    assert figs["3000多人次"].approx and figs["3000多人次"].value == 3000
    assert figs["1万元"].value == 1 and figs["1万元"].unit == "万元"
    assert figs["219062.78元"].value == 219062.78
    assert figs["32.65%"].unit == "%" and figs["32.65%"].subject == "现场咨询"
    two = next(f for f in parsed("excerpts/zoucheng-tangcunzhen-2010.txt").figures if f.unit == "次")
    assert (two.raw, two.value) == ("两次", 2)
    xixian = parsed("excerpts/xixian-dizhangjd-2023.txt").figures
    assert [(f.raw, f.value, f.approx) for f in xixian] == [("140余条", 140, True)]


def test_not_figures_in_the_seed_intro():
    """Dates, document numbers, address, postcode, phone and e-mail of the seed's intro."""
    report = parsed(SEED)
    intro_end = report.text.index("一、概述")
    assert [f for f in report.figures if f.span[0] < intro_end] == []


@pytest.mark.parametrize("text", [
    "根据《肇庆市2018年政务公开工作要点》(肇府办函〔2018〕158号)的要求。",
    "统计期限为2018年1月1日至2018年12月31日。",
    "地址:肇庆市端州区城中路49号市府大院29幢,邮政编码:526040,联系电话:0758-2200086。",
    "钦州市永福东大街11号钦州市行政信息中心B615室。",
    "在第十一届中国政府网站绩效评估中排名第四,第二批公开招标。",
    "一是加强领导。二是完善制度。实行“一把手”负总责,用好“两微一端”,落实“三公”经费公开。",
    "这是一项重要工作,做到一个窗口受理,一条龙服务,一次性告知,进一步加强。",
    "通过市委五届四次全会,宣传“创业富民30条”。",
    "二〇一〇年一月十九日",
])
def test_not_figures(text):
    assert parse("一、概述\n" + text).figures == ()


@pytest.mark.parametrize("text, raws", [
    ("统一项目管理,唯一一个试点,逐一条款对照。", []),  # units.NUMERAL_WORDS
    ("防止万一个人信息泄露。", []),  # 万一 (in case): jieba's cut gave 一个, a figure
    ("一次次走访,一件件落实,一份份材料。", []),  # a counter said twice (jieba kept 一份)
    ("一本正经,上下一条心。", []),  # set phrases
    ("购置三本书,接听一通电话。", ["三本", "一通"]),  # jieba's cut (三/本书, 一/通电/话) lost both
    ("一万一千个", ["一万一千个"]),  # 万一 inside a numeral is no word
])
def test_chinese_numerals_and_words_that_hold_them(text, raws):
    """Which Chinese numerals are counts is decided by vocabulary (no dictionary): intended changes
    from the jieba cut that decided it before are marked."""
    assert [f.raw for f in parse("一、概述\n" + text).figures] == raws


def test_table_cells_and_pipe_lines_are_not_figures():
    report = parsed("pingtan-zhq-2016.html")
    table = next(b for b in report.blocks if b.kind == "table")
    assert not [f for f in report.figures if table.span[0] <= f.span[0] < table.span[1]]
    pingwu = parsed("excerpts/pingwu-tjj-2021.txt")
    assert all("|" not in pingwu.text[f.span[0]:f.span[1] + 2] for f in pingwu.figures)
    assert len(pingwu.figures) == 7


def test_import_does_not_load_jieba():
    code = "import sys, zqparse; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_long_hostile_paragraph_stays_linear():
    text = "一、概述\n" + ("共1,2" * 20000) + ("一二三四五六七八九十条" * 5000) + "(" * 20000
    report = parse(text)
    assert isinstance(report.figures, tuple)


def test_lazy_exclusions_answer_as_the_whole_paragraphs_spans():
    """_Exclusions searches only as far as it is asked; its answers are those of all the spans."""
    from zqparse import figures, totals

    text = parsed("zhaoqing-mzj-2018.txt").text
    start, end = 0, len(text)
    whole = totals._Intervals(list(figures.not_figure_spans(text, start, end))
                              + [m.span() for m in figures._SET_PHRASE.finditer(text, start, end)]
                              + [m.span() for m in figures._ENUMERATION.finditer(text, start, end)])
    assert whole.starts
    for step in (1, 2, 3, 7):
        lazy = figures._Exclusions(text, start, end)
        for a in range(start, end - 2, step):  # spans asked in order, as a paragraph's numbers come
            for b in (a + 1, a + 2):
                assert lazy.overlaps(a, b) == whole.overlaps(a, b), (step, a, b)


def test_the_enumeration_search_equals_finditer():
    """Enumeration numerals are searched from their lead characters only; the spans are finditer's."""
    from hypothesis import given, settings, strategies as st

    from zqparse import figures

    def lead(text, start):
        return list(figures._lead_spans(figures._ENUMERATION.match, figures._ENUMERATION_LEAD, text, start, len(text)))

    def plain(text, start):
        return [m.span() for m in figures._ENUMERATION.finditer(text, start, len(text)) if m.end() > m.start()]

    text = parsed(SEED).text
    assert lead(text, 0) == plain(text, 0) and plain(text, 0)

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="()一二三十0129、.。;:,\n 是项", max_size=40), st.integers(0, 5))
    def same(text, start):
        assert lead(text, start) == plain(text, start)

    same()


def test_wan_counts_keep_their_unit_as_printed_and_traditional_units_are_read():
    figs = {f.raw: f for f in parsed("wild/jiaxing-szfbgs-2023.txt").figures}
    assert any(f.value == 120 and f.unit == "万人次" for f in figs.values())
    trad = [f for f in parsed("wild/rongcheng-shidao-2008.txt").figures if f.unit == "條"]
    assert [f.value for f in trad][:2] == [345, 5]  # 主動公開政府信息345條 … 機構職能5條, unit as printed
