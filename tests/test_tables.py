"""The template tables 表二, 表三, 表四: real cells of real fixtures, blank-vs-zero, text input."""
from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

import zqparse
from zqparse.decode import decode
from zqparse.normalize import normalize
from zqparse.tables import label_key, read_token, split_marker, table_metrics

from conftest import fixture_path, gold, parsed

TEMPLATE_PAGES = ["pingtan-zhq-2019", "pingtan-zhq-2021", "pingtan-zhq-2022", "pingtan-zhq-2025"]
TABLE_PREFIXES = ("requests.", "review.", "litigation.", "proactive.rules.", "proactive.normative_docs.",
                  "proactive.licensing.", "proactive.other_services.", "proactive.penalty.",
                  "proactive.coercion.", "proactive.admin_fees.", "proactive.procurement.")


# --------------------------------------------------------------------------- helpers


def _table_gold(name):
    return {k: v for k, v in gold(name)["metrics"].items() if k.startswith(TABLE_PREFIXES)}


def _html(name):
    return lxml_html.document_fromstring(decode(fixture_path(name).read_bytes()).text)


def _serialise(root):
    return lxml_html.tostring(root, encoding="unicode", method="html")


def _row(root, label):
    """The <tr> whose text (spaces removed) starts with ``label``."""
    for tr in root.iter("tr"):
        if normalize(tr.text_content()).replace(" ", "").startswith(label):
            return tr
    raise AssertionError(f"no row {label}")


def _set(td, text):
    for child in list(td):
        td.remove(child)
    td.text = text


def with_cell(name, label, index, text):
    """The fixture's HTML with one value cell of the row labelled ``label`` replaced."""
    root = _html(name)
    tds = _row(root, label).findall("td")
    _set(tds[index], text)
    return zqparse.parse(_serialise(root))


# --------------------------------------------------------------------------- real cells, both versions


@pytest.mark.parametrize("name", TEMPLATE_PAGES)
def test_table_metrics_equal_the_hand_checked_gold(name):
    report = parsed(f"{name}.html")
    want = _table_gold(name)
    got = {k: v for k, v in report.metrics.items() if k.startswith(TABLE_PREFIXES)}
    assert got == pytest.approx(want)
    assert set(got) == set(want)


def test_2021_requests_read_from_the_physical_cells_under_a_broken_word_header():
    # 自然人 colspan=2 over an empty sub-header and 商业企业 colspan=2: a naive reading of the
    # last seven grid columns puts 商业企业 under 自然人
    table = parsed("pingtan-zhq-2021.html").tables["requests"]
    assert table.template == "template2021" and table.complete and len(table.cells) == 175
    cell = table.get
    assert [cell(f"requests.new.{c}").value for c in
            ("natural_person", "business", "research", "public_interest", "legal_services", "other_org",
             "total")] == [64, 0, 0, 2, 0, 4, 70]
    assert cell("requests.granted.natural_person").value == 27
    assert cell("requests.granted.total").value == 30
    assert cell("requests.denied.enforcement_file.natural_person").value == 6
    assert cell("requests.unable.not_held.other_org").value == 3
    assert cell("requests.unable.not_held.total").value == 25
    assert cell("requests.other.other.natural_person").value == 1
    assert cell("requests.total.total").value == 69
    assert cell("requests.carried_forward.natural_person").raw == "1"


def test_every_cell_points_at_its_printed_token():
    report = parsed("pingtan-zhq-2021.html")
    for table in report.tables.values():
        for cell in table.cells.values():
            assert report.text[cell.span[0]:cell.span[1]] == cell.raw


def test_2021_proactive_and_review():
    report = parsed("pingtan-zhq-2021.html")
    proactive = report.tables["proactive"]
    assert proactive.template == "template2021" and proactive.complete
    assert proactive.get("proactive.normative_docs.in_force").value == 665
    assert proactive.get("proactive.admin_fees.amount_wan_yuan").value == pytest.approx(24252.311082)
    review = report.tables["review_litigation"]
    assert [review.get(f"review.{r}").value for r in ("upheld", "corrected", "other", "pending", "total")] \
        == [1, 0, 2, 0, 3]
    assert review.get("litigation.direct.upheld").value == 12
    assert report.metrics["litigation.total"] == 12


def test_2019_tables_and_the_procurement_amount_in_yuan():
    report = parsed("pingtan-zhq-2019.html")
    proactive = report.tables["proactive"]
    assert proactive.template == "template2019" and proactive.complete
    amount = proactive.get("proactive.procurement.amount_yuan")
    assert amount.raw == "75394432.52元" and amount.value == pytest.approx(75394432.52)
    assert proactive.get("proactive.procurement.items").value == 135
    assert proactive.get("proactive.other_services.decisions").value == 153
    assert proactive.get("proactive.admin_fees.change").value == 0
    requests = report.tables["requests"]
    assert requests.template == "template2019" and requests.complete and len(requests.cells) == 161
    assert requests.get("requests.other.total").raw == "0"  # the single (六) row of 2019
    assert requests.get("requests.other.other.total") is None
    assert requests.get("requests.rejected.repeat.natural_person").value == 3
    assert report.metrics["requests.other.total"] == 0
    assert "requests.other.other.total" not in report.metrics


def test_a_procurement_amount_printed_in_wan_yuan_is_converted():
    root = _html("pingtan-zhq-2019.html")
    tds = _row(root, "政府集中采购").findall("td")
    _set(tds[-1], "160.5964万元")
    table = zqparse.parse(_serialise(root)).tables["proactive"]
    cell = table.get("proactive.procurement.amount_yuan")
    assert cell.raw == "160.5964万元" and cell.value == 1605964


def test_group_sums_only_when_every_row_is_stated():
    report = parsed("pingtan-zhq-2021.html")
    assert report.metrics["requests.denied.natural_person"] == 8
    assert report.metrics["requests.unable.total"] == 25
    assert report.metrics["requests.other.natural_person"] == 1
    blanked = with_cell("pingtan-zhq-2021.html", "5.属于三类内部事务信息", -7, "—")
    assert "requests.denied.natural_person" not in blanked.metrics
    assert "requests.denied.business" in blanked.metrics


# --------------------------------------------------------------------------- blank is not zero


@pytest.mark.parametrize("token", ["", "-", "—", "/", "无"])
def test_blank_tokens_keep_their_raw_text_and_give_no_metric(token):
    report = with_cell("pingtan-zhq-2021.html", "一、本年新收政府信息公开申请数量", -7, token)
    cell = report.tables["requests"].get("requests.new.natural_person")
    assert cell.raw == token and cell.value is None
    assert "requests.new.natural_person" not in report.metrics
    assert report.metrics["requests.new.total"] == 70


def test_a_zero_is_a_number():
    cell = parsed("pingtan-zhq-2021.html").tables["requests"].get("requests.new.business")
    assert cell.raw == "0" and cell.value == 0


def test_word_export_of_another_cms_reads_with_blank_o_p_cells():
    report = parsed("other-cms/shuyang-fgj-2023.html")
    assert report.meta.family == "template2021"
    assert set(report.tables) == {"proactive", "requests", "review_litigation"}
    assert all(t.complete for t in report.tables.values())
    requests = report.tables["requests"]
    assert requests.get("requests.new.natural_person").value == 26
    assert requests.get("requests.new.total").value == 26
    blank = requests.get("requests.new.business")
    assert blank.raw == "" and blank.value is None
    assert "requests.new.business" not in report.metrics
    assert "requests.denied.business" not in report.metrics
    assert report.metrics["requests.denied.total"] == 0
    # 规范性文件 (not 行政规范性文件) in a 2021 table
    assert report.metrics["proactive.normative_docs.issued"] == 8
    assert report.metrics["proactive.normative_docs.in_force"] == 18
    assert report.metrics["review.pending"] == 1 and report.metrics["review.total"] == 1
    assert report.metrics["litigation.total"] == 0


# --------------------------------------------------------------------------- label variants


def test_label_folding():
    assert label_key("規範性檔案") == "规范性文件"
    assert label_key("3.危及\"三安全一稳定\"") == label_key("3.危及“三安全一稳定”") == "3.危及三安全一稳定"
    assert split_marker(label_key("1、属于国家秘密")) == ("1", "属于国家秘密")
    assert split_marker(label_key("1．属于国家秘密")) == ("1", "属于国家秘密")
    assert split_marker("(三)不予公开") == ("(三)", "不予公开")
    assert split_marker("一、本年新收") == ("一", "本年新收")


def test_read_token():
    assert read_token("1,234").value == 1234
    assert read_token("-8").value == -8 and read_token("+1036").value == 1036
    assert read_token("75394432.52元") == ("number", 75394432.52, "元")
    assert read_token("—").kind == "blank" and read_token("无").kind == "blank"
    assert read_token("规章").kind == "label"
    assert read_token("12 3").kind == "garbled"


@pytest.mark.parametrize("raw,kind", [
    ("", "blank"), (" ", "blank"), ("无", "blank"), ("无 ", "blank"), (" 无\n", "blank"), ("- -", "blank"),
    ("无 无", "label"), ("无无", "label"), ("规章", "label"), (" 规章", "label"), ("规章 ", "label"),
    ("(一)予以公开", "label"), ("1.属于国家秘密", "label"), ("元5", "label"), ("5元", "number"), ("5 件", "number"),
    ("0", "number"), (" 0 ", "number"), ("0" * 41, "garbled"), ("1,23", "garbled"),
    ("不适用", "blank"), ("不適用", "blank"),  # a value cell saying 'not applicable' states no number
])
def test_read_token_kinds_and_is_label(raw, kind):
    from zqparse.tables import _is_label

    assert read_token(raw).kind == kind
    assert _is_label(raw) == (kind == "label")


def test_traditional_labels_straight_quotes_and_other_numbering_read_the_same():
    text = decode(fixture_path("pingtan-zhq-2021.html").read_bytes()).text
    variant = (text.replace("本年新收政府信息公开申请数量", "本年新收政府資訊公開申請數量")
               .replace("“三安全一稳定”", '"三安全一稳定"')
               .replace("1.属于国家秘密", "1、屬於國家秘密")
               .replace("行政规范性文件", "行政規範性文件")
               .replace("结转下年度继续办理", "結轉下年度繼續辦理"))
    assert variant != text
    report = zqparse.parse(variant)
    want = _table_gold("pingtan-zhq-2021")
    got = {k: v for k, v in report.metrics.items() if k.startswith(TABLE_PREFIXES)}
    assert got == pytest.approx(want)


def test_labels_split_across_spans_and_spaces_inside_words():
    root = _html("pingtan-zhq-2021.html")
    td = _row(root, "四、结转下年度继续办理").findall("td")[0]
    _set(td, "")
    for part in ("四、结转", "下 年 度", "继续办理"):
        span = lxml_html.Element("span")
        span.text = part
        td.append(span)
    report = zqparse.parse(_serialise(root))
    assert report.metrics["requests.carried_forward.natural_person"] == 1


def test_an_extra_cell_in_every_row_is_placed_by_the_column_headers():
    # 8 value cells in each data row: the physical order no longer says which is which,
    # the header columns do
    root = _html("pingtan-zhq-2021.html")
    table = [t for t in root.iter("table") if "本年新收" in t.text_content()][0]
    for tr in table.iter("tr"):
        if re.search(r"\d", tr.text_content()) and "勾稽" not in tr.text_content():
            tr.append(lxml_html.fromstring("<td></td>"))
    report = zqparse.parse(_serialise(root))
    requests = report.tables["requests"]
    assert requests.get("requests.new.natural_person").value == 64
    assert requests.get("requests.new.total").value == 70
    assert requests.complete


def test_missing_group_header_does_not_matter():
    root = _html("pingtan-zhq-2021.html")
    for td in root.iter("td"):
        if normalize(td.text_content()) == "法人或其他组织":
            _set(td, "")
    report = zqparse.parse(_serialise(root))
    assert report.metrics["requests.new.natural_person"] == 64
    assert report.tables["requests"].complete


# --------------------------------------------------------------------------- absent tables


def test_tables_that_are_images_are_absent_with_a_warning_never_zeros():
    root = _html("pingtan-zhq-2021.html")
    for table in list(root.iter("table")):
        if "本年新收" in table.text_content() or "复议后起诉" in table.text_content():
            img = lxml_html.fromstring('<img src="table.png">')
            table.getparent().replace(table, img)
    report = zqparse.parse(_serialise(root))
    assert "requests" not in report.tables and "review_litigation" not in report.tables
    assert "proactive" in report.tables
    assert not any(k.startswith(("requests.", "review.", "litigation.")) for k in table_metrics(report.tables))
    # what the prose states may still be there, but no table cell became a zero
    assert "requests.denied.state_secret.total" not in report.metrics
    assert "litigation.after_review.total" not in report.metrics
    assert any("表三" in w and "not found" in w and "image" in w for w in report.warnings)
    assert any("表四" in w and "not found" in w for w in report.warnings)
    assert not [c for c in report.checks if c.rule.startswith("requests.")]


def test_a_prose_report_has_no_tables_and_no_table_warnings():
    report = parsed("pingtan-zhq-2017.html")
    assert report.tables == {}
    assert not [w for w in report.warnings if "表" in w]


# --------------------------------------------------------------------------- text input


def test_pingwu_text_recovers_rows_whose_cells_are_all_there():
    report = parsed("excerpts/pingwu-tjj-2021.txt")
    proactive = report.tables["proactive"]
    assert proactive.template == "template2021" and not proactive.complete
    for stem in ("rules", "normative_docs"):
        for field in ("issued", "repealed", "in_force"):
            assert report.metrics[f"proactive.{stem}.{field}"] == 0
    assert report.metrics["proactive.licensing.decisions"] == 0
    assert report.metrics["proactive.penalty.decisions"] == 0
    # the excerpt stops right after 行政强制's '0', with no closing ' |': possibly cut, left out
    assert "proactive.coercion.decisions" not in report.metrics
    assert any("行政强制" in w for w in report.warnings)
    assert "requests" not in report.tables
    assert not any("image" in w for w in report.warnings)  # the excerpt stops before 三


def test_xixian_text_is_a_2019_table_in_a_2023_report():
    report = parsed("excerpts/xixian-dizhangjd-2023.txt")
    proactive = report.tables["proactive"]
    assert proactive.template == "template2019"
    assert report.metrics["proactive.rules.made"] == 0
    assert report.metrics["proactive.licensing.decisions"] == 0
    assert "proactive.other_services.previous_items" not in report.metrics  # '其他对' is cut


def _as_text(name):
    return parsed(name).text


def test_pipe_text_of_a_real_table_recovers_every_row():
    report = zqparse.parse(_as_text("pingtan-zhq-2021.html"))
    assert report.source.media == "text"
    want = _table_gold("pingtan-zhq-2021")
    got = {k: v for k, v in report.metrics.items() if k.startswith(TABLE_PREFIXES)}
    assert got == pytest.approx(want)


def test_pdf_like_text_with_numbers_split_by_spaces():
    text = _as_text("pingtan-zhq-2019.html").replace(" | ", " ")
    report = zqparse.parse(text)
    requests = report.tables["requests"]
    assert requests.template == "template2019" and requests.complete
    assert report.metrics["requests.unable.unclear.natural_person"] == 5
    assert report.metrics["review.total"] == 0


def test_text_rows_with_the_wrong_count_are_left_out_with_a_warning():
    text = _as_text("pingtan-zhq-2021.html")
    line = next(l for l in text.split("\n") if l.startswith("一、本年新收"))
    short = line.rsplit(" | ", 1)[0]  # the 总计 cell lost
    report = zqparse.parse(text.replace(line, short))
    assert not any(k.startswith("requests.new.") for k in report.metrics)
    assert report.metrics["requests.carried_over.total"] == 0
    assert any("requests" not in w and "row new" in w for w in report.warnings)


def test_markdown_table_text():
    text = "\n".join([
        "二、主动公开政府信息情况",
        "| 第二十条第(一)项 | | | |",
        "|---|---|---|---|",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | 5 | 1 | 40 |",
        "三、收到和处理政府信息公开申请情况",
    ])
    tables, warnings = zqparse.tables.read_tables(zqparse.content.text_page(text), "template2021")
    assert [(c.key, c.value) for c in tables["proactive"].cells.values()] == [
        ("proactive.rules.issued", 0), ("proactive.rules.repealed", 0), ("proactive.rules.in_force", 0),
        ("proactive.normative_docs.issued", 5), ("proactive.normative_docs.repealed", 1),
        ("proactive.normative_docs.in_force", 40)]


def test_metrics_of_no_tables():
    assert table_metrics({}) == {}


def test_a_long_hostile_table_stays_linear():
    import time

    rows = "".join(f"<tr><td>{i}.属于国家秘密</td>" + "<td>1</td>" * 7 + "</tr>" for i in range(10000))
    page = ("<html><body><p>2021年度政府信息公开工作年度报告</p><table><tr><td>申请人情况</td></tr>"
            f"{rows}</table></body></html>")
    start = time.perf_counter()
    report = zqparse.parse(page)
    assert time.perf_counter() - start < 20
    assert len(report.warnings) < 40


# --------------------------------------------------------------------------- the quick test for text tables

QUICK_CASES = [
    ("确保网上发布信息内容准确完整,涉及自然人72件、法人或其他组织3件。", True),
    ("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 1 | 2 | 3", False),
    ("“信息内容” 本年制发件数 本年废止件数 现行有效件数\n规章 1 2 3", False),
    ("資訊內容 | 本年製發件數 | 本年廢止件數 | 現行有效件數\n規章 | 1 | 2 | 3", False),
    ("申请人情况 自然人 商业企业\n一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5", False),
    ("申请人情况自然人\n一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5", False),
    ("一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5", False),
    ("全年收到行政复议1件|行政复议结果维持1未经复议直接起诉0", False),
    ("本年度收到复议后起诉案件0件", False),
    ("依据条例第二十条第(一)项公开规章2件。", True),
    ("|第二十条第(一)项\n信息内容 | 本年新制作数量\n规章 | 1", False),
    ("自然人 商业企业\n一、本年新收,政府信息公开申请数量 5 0 0 0 0 0 5", False),
    ("一、本年新收,政府信息公开申请数量 5 0 0 0 0 0 5", False),
    ("共本年新收政府信息公开申请数量5件", False),
]


@pytest.mark.parametrize("text,quick", QUICK_CASES)
def test_the_quick_no_table_test_agrees_with_reading_the_text(text, quick, monkeypatch):
    from zqparse import tables
    from zqparse.content import text_page
    from zqparse.templates import TABLE_HEADINGS

    page = text_page(text)
    assert tables._opens_no_table(page) is quick
    monkeypatch.setattr(tables, "_opens_no_table", lambda page: False)
    warnings = []
    full = tables._read_text(page, "prose", list(TABLE_HEADINGS), warnings)
    if quick:
        assert full == {} and warnings == []


@pytest.mark.parametrize("name", ["pingtan-zhq-2016.html", "pingtan-zhq-2017.html", "pingtan-zhq-2019.html",
                                  "pingtan-zhq-2022.html", "excerpts/pingwu-tjj-2021.txt"])
def test_the_quick_no_table_test_agrees_on_real_pages(name, monkeypatch):
    from zqparse import tables
    from zqparse.content import read_html, text_page
    from zqparse.templates import TABLE_HEADINGS

    text = decode(fixture_path(name).read_bytes()).text
    page = text_page(text) if name.endswith(".txt") else read_html(text)[0]
    quick = tables._opens_no_table(page)
    monkeypatch.setattr(tables, "_opens_no_table", lambda page: False)
    warnings = []
    full = tables._read_text(page, "prose", list(TABLE_HEADINGS), warnings)
    if quick:
        assert full == {} and warnings == []


def test_a_label_led_by_a_cjk_extension_character_is_a_label():
    """Row labels may name places or people with characters beyond the basic block (𠀾: Ext B)."""
    assert read_token("𠀾家村申请").kind == "label"
    assert read_token("㮾梨街道").kind == "label"


def test_a_requests_row_cut_by_the_end_of_an_excerpt_gives_its_first_columns():
    # the excerpt ends inside 上年结转's row after three closed numbers ('| 0 | 0 | 0 |')
    report = parsed("wild/qiaokou-mzj-2021.txt")
    assert [report.metrics.get(f"requests.carried_over.{c}") for c in ("natural_person", "business", "research")] \
        == [0, 0, 0]
    assert "requests.carried_over.public_interest" not in report.metrics
    assert any("carried_over: the text ends inside the row; its first 3" in w for w in report.warnings)
    # 予以公开's seven numbers, then the text ends on '(' inside the next row
    assert parsed("wild/yanta-tjj-2019.txt").metrics["requests.granted.total"] == 0


def test_table_four_in_text_opens_on_its_heading_without_its_header_rows():
    from zqparse import parse

    text = ("一、总体情况\n本机关2023年政府信息公开工作。\n四、政府信息公开行政复议、行政诉讼情况\n"
            "0 0 0 0 0 0 0 0 0 0 0 0 1 0 1\n五、存在的主要问题及改进情况\n")
    metrics = parse(text).metrics
    assert metrics["review.total"] == 0
    assert metrics["litigation.after_review.other"] == 1 and metrics["litigation.total"] == 1


def test_a_requests_header_row_with_an_empty_cell_under_its_total_is_no_data_row():
    from zqparse import parse

    def tr(cells):
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    rows = [tr(["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"]),
            tr(["", "自然人", "法人或其他组织", "总计", ""]),  # the empty cell under 总计
            tr(["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]),
            tr(["一、本年新收政府信息公开申请数量", 3, 0, 0, 0, 0, 0, 3]),
            tr(["二、上年结转政府信息公开申请数量", 1, 0, 0, 0, 0, 0, 1])]
    html = ("<html><head><title>某区政务服务中心2023年政府信息公开工作年度报告</title></head><body>"
            "<div class='content'><p>三、收到和处理政府信息公开申请情况</p><table>" + "".join(rows)
            + "</table></div></body></html>")
    report = parse(html.encode())
    assert report.metrics["requests.new.total"] == 3 and report.metrics["requests.carried_over.natural_person"] == 1
    assert not any("printed again" in w for w in report.warnings)
