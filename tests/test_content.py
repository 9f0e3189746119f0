"""Main content: the report body without the site chrome, paragraphs kept, tables as grids."""
from __future__ import annotations

import pytest

from conftest import fixture_path, parsed
from zqparse.content import MAX_CANDIDATES, html_page, is_chrome, text_page
from zqparse.normalize import normalize

CHROME_WORDS = ("当前位置", "扫一扫", "版权所有", "ICP备", "公网安备", "网站标识码", "主办单位", "Processed in",
                "浏览次数", "闽政通APP", "关闭")


def test_cms_page_keeps_the_body_and_drops_the_chrome():
    report = parsed("pingtan-zhq-2019.html")
    assert report.text.startswith("平潭综合实验区2019年\n政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》")
    assert report.text.endswith("六、其他需要报告的事项\n无其他需要报告的事项")
    for word in CHROME_WORDS:
        assert word not in report.text


def test_plain_text_page_drops_chrome_lines():
    report = parsed("zhaoqing-mzj-2018.txt")
    assert report.text.startswith("肇庆市民政局2018年政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》")
    assert report.text.endswith("肇庆市民政局\n2019年3月22日")
    for word in CHROME_WORDS + ("发布时间", ".doc"):
        assert word not in report.text


def test_older_page_template_drops_share_bar_and_column_labels():
    report = parsed("pingtan-zhq-2021.html")
    first_lines = report.text.split("\n")[:2]
    assert first_lines == ["平潭综合实验区2021年度政府信息公开工作年度报告",
                           first_lines[1]]
    assert first_lines[1].startswith("根据《中华人民共和国政府信息公开条例》")


def test_spans_split_by_markup_join_without_spaces():
    page = html_page('<html><body><div id="zoom"><p>共主动公开政府信息<span>20</span><span>23</span>条。'
                     '<o:p></o:p></p><P>二、<SPAN>主动公开</SPAN>政府信息情况</P>'
                     '<p>' + "本段为正文。" * 20 + '</p></div><div class="footer">版权所有 ICP备123号</div></body></html>')
    assert page.text.split("\n")[:2] == ["共主动公开政府信息2023条。", "二、主动公开政府信息情况"]
    assert "版权所有" not in page.text


def test_tables_are_grids_with_spans_expanded_and_cells_slicing_the_text():
    report = parsed("pingtan-zhq-2022.html")
    tables = [b for b in report.blocks if b.kind == "table"]
    assert len(tables) == 3
    requests = tables[1]
    for row in requests.grid:
        for cell in row:
            assert report.text[slice(*cell.span)] == cell.text
    # the 本年度办理结果 label spans many rows: the same cell fills every slot it covers
    labels = [row[0].text for row in requests.grid]
    assert labels.count("三、本年度办理结果") > 10
    assert any(cell.text == "自然人" for row in requests.grid for cell in row)


def test_text_page_keeps_lines_as_paragraphs():
    page = text_page("当前位置:首页 > 正文\r\n一、概述\r\n\r\n  本年度共公开信息10条。  \n")
    assert page.text == "一、概述\n本年度共公开信息10条。"
    assert [page.text[slice(*b.span)] for b in page.blocks] == ["一、概述", "本年度共公开信息10条。"]
    assert page.chrome.startswith("当前位置")


def test_chrome_lines():
    assert is_chrome("当前位置:首页 > 政务公开")
    assert is_chrome("粤公网安备 44120202000210号")
    assert is_chrome("肇庆市民政局2018年政府信息公开工作年度报告.doc")
    assert not is_chrome("2018年我局共收到政府信息公开申请7份,均在规定时间内回复申请人。")


def test_normalize():
    assert normalize("（一）强化组织领导：") == "(一)强化组织领导:"
    assert normalize("商 业 企 业") == "商业企业"
    assert normalize("2023 年") == "2023年"
    assert normalize("72 64 178") == "72 64 178"
    assert normalize("①加强领导") == "①加强领导"  # circled numbers survive NFKC
    assert normalize("㈠ 公开内容") == "(一)公开内容"
    assert normalize("a\u200bb\u00a0c") == "ab c"


def test_fixture_read_as_bytes_and_as_text_gives_the_same_text():
    import zqparse

    path = fixture_path("pingtan-zhq-2016.html")
    from_bytes = zqparse.parse(path.read_bytes())
    from_text = zqparse.parse(path.read_text(encoding="utf-8"))
    assert from_bytes.text == from_text.text == parsed("pingtan-zhq-2016.html").text


def test_page_chrome_is_the_text_around_the_body_not_the_body():
    page = html_page(fixture_path("pingtan-zhq-2019.html").read_text(encoding="utf-8"))
    assert "当前位置:首页政务公开政府信息公开政府信息公开年报" in page.chrome
    assert "时间:2020-01-20 15:22" in page.chrome  # the publication date the metadata reads
    assert "根据《中华人民共和国政府信息公开条例》" not in page.chrome
    assert "友情链接人民网新华网" in page.chrome  # the footer after the body is kept too


def test_text_junk_patterns_start_with_a_bracket():
    # content skips the junk search on lines without "<"
    from zqparse.vocab import TEXT_JUNK

    assert all(pattern.startswith("<") for pattern in TEXT_JUNK)
    assert html_page("<p>本年度<!--[if !supportLists]-->共公开<o:p> </o:p>信息10条。</p>").text == "本年度共公开信息10条。"


def test_chrome_patterns_anchored_or_not():
    assert is_chrome("您现在的位置:首页 > 信息公开")
    assert is_chrome("网站由 icp备 12345号 支持")  # searched anywhere, case-insensitive
    assert is_chrome("Processed in 0.031 second(s)")
    assert not is_chrome("本机关在当前位置以外的栏目公开信息")  # anchored: only at the start


def test_paragraphs_and_data_tables_come_in_document_order():
    page = html_page('<html><body><div id="zoom"><p>一、总体情况</p>'
                     '<table><tr><td>申请数</td><td>7</td></tr></table>'
                     '<div>本年度<b>共</b>公开信息<br>10条。</div>'
                     '<table><tr><td>' + "长" * 400 + '</td></tr></table></div></body></html>')
    assert [b.kind for b in page.blocks] == ["para", "table", "para", "para", "para"]
    assert page.text.split("\n")[:4] == ["一、总体情况", "申请数 | 7", "本年度共公开信息", "10条。"]
    assert page.blocks[-1].text == "长" * 400  # a cell that long makes a layout table: read as text


def test_private_use_characters_are_kept_as_text():
    page = html_page("<html><body><div><p>本年\ue000共7件</p><p>二、\ue001主动公开</p></div></body></html>")
    assert page.text == "本年\ue000共7件\n二、\ue001主动公开"


def test_control_characters_after_the_body_stay_in_the_chrome():
    """Found by benchmarks/fuzz.py (seed 4, input 60041): text after the body holding control
    characters, which lxml will not take into a new node, once failed with a ParseError."""
    page = html_page('<html><body><div>菜单</div><div class="TRS_Editor"><p>' + "本年度共公开信息十条。" * 20
                     + "</p></div>\x0c发布日期:2020-01-20\x1b<div>版权所有</div></body></html>")
    assert page.text == "本年度共公开信息十条。" * 20
    assert "发布日期:2020-01-20" in page.chrome and "版权所有" in page.chrome and "菜单" in page.chrome
    assert "本年度" not in page.chrome


@pytest.mark.parametrize("decoys", [3, MAX_CANDIDATES + 10])  # few: each counted alone; many: one pass
def test_the_marked_element_holding_the_text_is_the_body_however_many_are_marked(decoys):
    report = "<p>一、总体情况</p><p>" + "本年度共主动公开政府信息一千七百四十条。" * 5 + "</p>"
    page = html_page("<html><body>" + '<div class="TRS_Editor">栏目导航</div>' * decoys
                     + f'<div id="zoom"><div class="TRS_Editor">{report}</div></div></body></html>')
    assert page.text == "一、总体情况\n" + "本年度共主动公开政府信息一千七百四十条。" * 5
    assert page.chrome.count("栏目导航") == decoys
