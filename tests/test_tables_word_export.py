"""A report of each family, re-published in another CMS as a Word export, reads as the original does.

The only real page from another CMS in the corpus is a template2021 one
(``other-cms/shuyang-fgj-2023.html``, tested in test_tables.py). For the other families
these tests take the body of a real 平潭 page and print it the way Word-exporting CMSs do:
upper-case tags and attributes without quotes, ``class=MsoNormal`` paragraphs, every run of
text in its own ``<SPAN>`` (labels and numbers split across spans, ``lang=EN-US`` digits),
``<o:p>`` in every paragraph, blank cells as ``<o:p>&nbsp;</o:p>``, spaces inside CJK labels,
Word's conditional comments, a GBK page in a different site's chrome with ``id=zoom`` as
the content holder. The report that comes out must be the same report.
"""
from __future__ import annotations

import html
import random
import re
import unicodedata

import pytest
from lxml import etree

import zqparse
from conftest import fixture_path, gold, parsed

#: the element that holds the report body on each 平潭 page
BODIES = {
    "pingtan-zhq-2012.html": '//div[contains(@class, "article_content")]',  # prose
    "pingtan-zhq-2019.html": '//div[@class="TRS_Editor"]',  # template2019
    "pingtan-zhq-2021.html": '//div[@class="main"]/div[@class="content"]',  # template2021
}

_CJK_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])")
_DIGITS = re.compile(r"([0-9.]+)")
_WORD_TAGS = {"p": 'P class=MsoNormal style="TEXT-INDENT: 24pt; LINE-HEIGHT: 150%"',
              "table": 'TABLE class=MsoNormalTable style="BORDER-COLLAPSE: collapse" cellSpacing=0 '
                       'cellPadding=0 border=0',
              "tr": 'TR style="HEIGHT: 20.25pt"',
              "td": 'TD style="BORDER: windowtext 1pt solid; PADDING: 0cm 5.4pt" vAlign=center'}


def _runs(text: str, rng: random.Random, in_cell: bool) -> str:
    """Text as Word prints it: runs in spans, digits in their own EN-US span, stray spaces in labels."""
    if not text.strip():
        return html.escape(text)
    if in_cell:  # Word splits labels into runs and pads them with spaces
        text = _CJK_PAIR.sub(lambda _: " " if rng.random() < 0.08 else "", text)
    out = []
    for part in _DIGITS.split(text):
        if not part:
            continue
        if _DIGITS.fullmatch(part):
            out.append(f'<SPAN lang=EN-US style="FONT-FAMILY: 仿宋_GB2312">{part}</SPAN>')
            continue
        cut = rng.randint(1, len(part)) if len(part) > 3 else len(part)
        for piece in (part[:cut], part[cut:]):
            if piece:
                out.append(f'<SPAN style="FONT-SIZE: 12pt; FONT-FAMILY: 仿宋_GB2312">{html.escape(piece)}</SPAN>')
    return "".join(out)


def _word(el, rng: random.Random, in_cell: bool = False, blank_zeros: bool = False) -> str:
    """``el`` re-printed as Word export markup (its tail excluded); zero cells blank if asked."""
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None:
        return ""
    if tag in ("img", "script", "style"):
        return ""
    if tag == "br":
        return "<BR>"
    attrs = _WORD_TAGS.get(tag, tag.upper())
    if tag in ("td", "th"):
        attrs = _WORD_TAGS["td"]
        for name in ("rowspan", "colspan"):
            if el.get(name):
                attrs += f" {name[:3]}{name[3:].capitalize()}={el.get(name)}"
        in_cell = True
    inner = [_runs(el.text or "", rng, in_cell)]
    for child in el:
        inner.append(_word(child, rng, in_cell, blank_zeros))
        inner.append(_runs(child.tail or "", rng, in_cell))
    body = "".join(inner)
    name = tag.upper() if tag not in _WORD_TAGS else attrs.split()[0]
    if tag == "p":
        body = "<!--[if !supportLists]-->" + body + "<o:p></o:p>"
    cell_text = "".join(el.itertext()).strip()
    if tag in ("td", "th") and (not cell_text or (blank_zeros and cell_text == "0")):
        body = '<P class=MsoNormal align=center><SPAN lang=EN-US><o:p>&nbsp;</o:p></SPAN></P>'
    return f"<{attrs}>{body}</{name}>"


def word_export_page(name: str, seed: int = 7, blank_zeros: bool = False) -> bytes:
    """The body of fixture ``name`` re-published as a GBK Word-export page of another site.

    With ``blank_zeros``, cells printing 0 are left blank, as 上海 2019 prints them.
    """
    original = parsed(name)
    root = etree.fromstring(fixture_path(name).read_text(encoding="utf-8"), etree.HTMLParser())
    (body,) = root.xpath(BODIES[name])
    rng = random.Random(seed)
    content = _runs(body.text or "", rng, False) + "".join(
        _word(child, rng, blank_zeros=blank_zeros) + _runs(child.tail or "", rng, False) for child in body)
    page = f"""<HTML><HEAD>
<META http-equiv=Content-Type content="text/html; charset=gb2312">
<TITLE>{original.meta.title}_某县人民政府门户网站</TITLE></HEAD>
<BODY>
<DIV class=top><A href="/">首页</A> <A href="/zwgk/">政务公开</A> <A href="/hdjl/">互动交流</A></DIV>
<DIV class=location>您的位置：<A href="/">首页</A> &gt; <A href="/zwgk/">政府信息公开年报</A></DIV>
<DIV class=wz_title><H1>{original.meta.title}</H1></DIV>
<DIV class=wz_info>发布日期：{original.meta.published}　　浏览次数：1024　　【打印】【关闭】</DIV>
<DIV id=zoom>{content}</DIV>
<DIV class=foot>版权所有：某县人民政府办公室　ICP备05001234号　网站标识码：3201000001</DIV>
</BODY></HTML>"""
    return page.encode("gb18030")


@pytest.mark.parametrize("name", sorted(BODIES))
def test_word_export_markup_is_really_different(name):
    page = word_export_page(name).decode("gb18030")
    assert "<o:p>" in page and "<SPAN lang=EN-US" in page and "class=MsoNormal" in page
    if "表" in parsed(name).text:
        assert "<o:p>&nbsp;</o:p>" in page or "TD" in page


@pytest.mark.parametrize("name", sorted(BODIES))
def test_word_export_reads_as_the_original(name):
    original = parsed(name)
    report = zqparse.parse(word_export_page(name))
    assert report.source.encoding == "gb18030"
    assert report.meta.family == original.meta.family
    assert (report.meta.title, report.meta.year, report.meta.published) == (
        original.meta.title, original.meta.year, original.meta.published)
    assert [(s.level, s.number, s.title, s.kind) for s in report.walk_sections()] == [
        (s.level, s.number, s.title, s.kind) for s in original.walk_sections()]
    assert report.metrics == original.metrics
    assert {name: [(c.key, c.raw, c.value) for c in t.cells.values()] for name, t in report.tables.items()} == {
        name: [(c.key, c.raw, c.value) for c in t.cells.values()] for name, t in original.tables.items()}
    assert [(c.rule, c.where, c.ok, c.left, c.right) for c in report.checks] == [
        (c.rule, c.where, c.ok, c.left, c.right) for c in original.checks]
    assert [(f.value, f.unit) for f in report.figures] == [(f.value, f.unit) for f in original.figures]


@pytest.mark.parametrize("name", sorted(BODIES))
def test_word_export_matches_the_hand_written_gold(name):
    """Not only the same as the original: right, by the gold written from the published page."""
    answer = gold(name[:-len(".html")])
    report = zqparse.parse(word_export_page(name))
    for field in ("title", "agency", "year", "published", "family", "is_report"):
        assert getattr(report.meta, field) == answer["meta"][field], field
    squeeze = lambda title: unicodedata.normalize("NFKC", title).replace(" ", "")  # noqa: E731
    wanted = [(s["level"], s["number"], squeeze(s["title"])) for s in answer["sections"]]
    assert [(s.level, s.number, squeeze(s.title)) for s in report.walk_sections()
            if s.level <= answer["section_levels"]] == wanted
    assert report.metrics == pytest.approx(answer["metrics"]) if answer["metrics_complete"] else all(
        report.metrics.get(key) == pytest.approx(value) for key, value in answer["metrics"].items())


def test_each_family_is_covered():
    assert sorted(parsed(name).meta.family for name in BODIES) == ["prose", "template2019", "template2021"]


@pytest.mark.parametrize("name", ["pingtan-zhq-2019.html", "pingtan-zhq-2021.html"])
def test_zero_cells_printed_blank_read_as_blanks_not_zeros(name):
    """Every 0 re-printed as <o:p>&nbsp;</o:p> is a blank (no value, no metric); every other cell stands."""
    original = parsed(name)
    report = zqparse.parse(word_export_page(name, blank_zeros=True))
    zeros = 0
    for table_name, table in original.tables.items():
        again = report.tables[table_name]
        assert again.template == table.template
        for cell in table.cells.values():
            new = again.get(cell.key)
            if cell.raw == "0":
                zeros += 1
                assert (new.raw, new.value) == ("", None), cell.key
                assert cell.key not in report.metrics
            else:
                assert (new.raw, new.value) == (cell.raw, cell.value), cell.key
    assert zeros > 100  # most of a 表三 is zeros
    # with blanks, no table identity can fail: each is either decided true or left undecided
    table_checks = [check for check in report.checks if not check.rule.startswith("figures.")]
    assert all(check.ok is not False for check in table_checks)
    assert any(check.ok is None for check in table_checks)
