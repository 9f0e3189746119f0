"""Report discovery against a real HTTP server on 127.0.0.1 serving the pingtan pages.

The served site mirrors www.pingtan.gov.cn's paths: the real list page at
``/zwgk/zfxxgk/zfxxgknb/nlist.htm`` and each report fixture at the path of its gold
``source_url``. Four reports the list links to have no fixture (2018, 2020, 2023, 2024
reports): the server answers 404 for them, which the manifest must record. The list's
page bar names a second page ``nlist_1.htm``; it is GENERATED here from the real list
page, listing the older fixtures plus two ordinary (non-report) pages of the column.
"""
from __future__ import annotations

import json
import re
from typing import Dict, List, Tuple

import pytest

import zqparse
from zqparse.crawl import MANIFEST_NAME, attachment_links, crawl, pagination_links, report_links
from zqparse.errors import FetchError

from conftest import FIXTURES, fixture_path, gold, parsed
from test_fetch import HTML, Server

COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
LIST_PATH = COLUMN + "nlist.htm"
PAGE2_PATH = COLUMN + "nlist_1.htm"
#: reports the real list page links to for which the corpus holds no page
MISSING = {COLUMN + p for p in ("202503/t20250310_97791.htm", "202403/t20240308_87885.htm",
                                 "202103/t20210305_80595.htm", "201901/t20190110_80529.htm")}
#: ordinary pages of the column linked from the generated second page (never to be fetched)
NOT_REPORTS = {COLUMN + "201412/t20141230_80780.htm": "关于2014年政府信息公开工作要点落实情况的函",
               COLUMN + "202101/t20210107_80600.htm": "关于公布2020年度政府信息公开工作年度报告的通知"}
QUICK = dict(timeout=(0.5, 0.5), deadline=2.0, retries=1, backoff=0.01, rate=0.0, proxy="")


def _fixtures_by_path() -> Dict[str, str]:
    """Served path → fixture name, from each gold file's ``source_url``."""
    found = {}
    for path in sorted((FIXTURES / "gold").glob("pingtan-*.json")):
        url = gold(path.stem).get("source_url")
        if url:
            found[re.sub(r"^https?://[^/]+", "", url)] = gold(path.stem)["file"]
    return found


FIXTURE_BY_PATH = _fixtures_by_path()


def _list_page(links: List[Tuple[str, str]]) -> bytes:
    """The real list page with its static entries replaced by ``links`` (path relative to the column, title)."""
    html = fixture_path("pingtan-list.html").read_text(encoding="utf-8")
    start = html.index("<dl>", html.index('ms-visible="showStatic"'))
    end = html.index("</div>", start)
    entries = "".join(f'<dl><dd><a href="./{href}" target="_blank" title="{title}">{title}</a></dd>'
                      f"<dd>2015-01-01</dd></dl>\n" for href, title in links)
    return (html[:start] + entries + html[end:]).encode("utf-8")


def _title(name: str) -> str:
    match = re.search(r'<meta name="ArticleTitle" content="([^"]+)"', fixture_path(name).read_text(encoding="utf-8"))
    assert match
    return match.group(1)


def _pingtan_routes() -> dict:
    routes = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /uc/\n"),
        LIST_PATH: (200, {"Content-Type": HTML}, fixture_path("pingtan-list.html").read_bytes()),
    }
    for path, name in FIXTURE_BY_PATH.items():
        routes[path] = (200, {"Content-Type": HTML}, fixture_path(name).read_bytes())
    on_page_one = {path for path, _ in _real_list_links()}
    older = [(path[len(COLUMN):], _title(name)) for path, name in FIXTURE_BY_PATH.items() if path not in on_page_one]
    older += [(path[len(COLUMN):], title) for path, title in NOT_REPORTS.items()]
    routes[PAGE2_PATH] = (200, {"Content-Type": HTML}, _list_page(older))
    for path in NOT_REPORTS:
        routes[path] = (200, {"Content-Type": HTML},
                        fixture_path("not-reports/pingtan-letter-2014.html").read_bytes())
    return routes


def _real_list_links() -> List[Tuple[str, str]]:
    """(served path, title) of the report links on the real list page, read independently of zqparse."""
    html = fixture_path("pingtan-list.html").read_text(encoding="utf-8")
    return [(COLUMN + href, title)
            for href, title in re.findall(r'<a href="\./([0-9]{6}/t[0-9_]+\.htm)" target="_blank" title="([^"]+)"', html)]


@pytest.fixture
def pingtan():
    with Server(_pingtan_routes()) as srv:
        yield srv


def _comparable(report) -> dict:
    record = report.to_dict()
    record["source"].pop("path")
    return record


# --------------------------------------------------------------------------- acceptance

def test_the_list_links_map_to_fixtures_as_expected():
    links = _real_list_links()
    assert len(links) == 10
    with_fixture = [path for path, _ in links if path in FIXTURE_BY_PATH]
    assert sorted(FIXTURE_BY_PATH[p] for p in with_fixture) == sorted(
        f"pingtan-zhq-{y}.html" for y in (2016, 2017, 2019, 2021, 2022, 2025))
    assert {path for path, _ in links} - set(with_fixture) == MISSING


def test_crawl_finds_every_report_and_only_reports_and_parses_like_the_fixtures(pingtan, tmp_path):
    out = tmp_path / "out"
    records = crawl(pingtan.url(LIST_PATH), out_dir=out, **QUICK)

    # every report of the real list page, in its order, then the second page's; nothing else
    page_one = [(pingtan.url(path), title) for path, title in _real_list_links()]
    assert [(r["url"], r["title"]) for r in records[:10]] == page_one
    older = {pingtan.url(p) for p in FIXTURE_BY_PATH} - {u for u, _ in page_one}
    assert {r["url"] for r in records[10:]} == older and len(records) == 10 + len(older)
    assert all(pingtan.hits(path) == 0 for path in NOT_REPORTS)

    # the manifest file holds the same records, in the fixed format
    lines = (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == records
    for record in records:
        assert set(record) == {"url", "title", "path", "status", "encoding", "error", "attachments"}

    for record in records:
        path = record["url"][len(pingtan.base):]
        if path in MISSING:
            assert (record["status"], record["path"], record["error"]) == (404, None, "HTTP error: HTTP 404")
            continue
        assert (record["status"], record["encoding"], record["error"], record["attachments"]) == (200, "utf-8", None, [])
        assert re.fullmatch(r"files/[0-9a-f]{64}\.html", record["path"])
        saved = out / record["path"]
        name = FIXTURE_BY_PATH[path]
        assert saved.read_bytes() == fixture_path(name).read_bytes()
        fetched = zqparse.parse(saved, encoding=record["encoding"])
        assert _comparable(fetched) == _comparable(parsed(name)), name

    # a second run is served from the cache: the server sees no request at all
    hits = pingtan.hits()
    again = crawl(pingtan.url(LIST_PATH), out_dir=out, **QUICK)
    assert pingtan.hits() == hits
    assert again == records


def test_parse_command_reads_the_manifest(pingtan, tmp_path, capsys):
    from zqparse.cli import main

    out = tmp_path / "out"
    crawl(pingtan.url(LIST_PATH), out_dir=out, max_reports=8, **QUICK)
    capsys.readouterr()
    main(["parse", str(out / MANIFEST_NAME), "--format", "jsonl", "-j", "1", "-q"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 8
    fetched = [row for row in rows if "error" not in row]
    assert len(fetched) == 4 and all(row["meta"]["is_report"] for row in fetched)
    assert {row["source"]["url"] for row in fetched} <= {pingtan.url(p) for p in FIXTURE_BY_PATH}


# --------------------------------------------------------------------------- a made-up site

REPORT_TEXT = "本年度我单位主动公开政府信息1,234条，受理依申请公开56件。" * 20


def _report(title: str, extra: str = "", charset: str = "utf-8") -> bytes:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f'<meta name="ArticleTitle" content="{title}"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><div class=\"article\"><p>{REPORT_TEXT}</p>{extra}</div></body></html>"
            ).encode("gbk" if charset == "gb2312" else charset)


@pytest.fixture
def site():
    attachments = ('<p><a href="/files/2023报告.pdf">附件：2023年报告.pdf</a>'
                   '<a href="../../../../etc/passwd.docx">表格.docx</a>'
                   '<a href="http://elsewhere.invalid/x.pdf">外站.pdf</a>'
                   '<a href="/files/gone.xls">缺失.xls</a></p>')
    routes = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/nb/index.html": (200, {"Content-Type": HTML}, (
            '<html><body><ul>'
            '<li><a href="/nb/a.htm" title="某县2023年度政府信息公开工作年度报告">某县2023年度政府信息...</a></li>'
            '<li><a href="/nb/">政府信息公开年报</a></li>'
            '<li><a href="/gzbg/2023.htm">2023年政府工作报告</a></li>'
            '<li><a href="javascript:void(0)">2022年度政府信息公开工作年度报告</a></li>'
            '</ul><script>var countPage = 2//共多少页\n'
            'createPageHTML(countPage, 0, "index", "html");</script></body></html>').encode("utf-8")),
        "/nb/index_1.html": (200, {"Content-Type": HTML}, (
            '<html><body><a href="/nb/b.htm">某县2022年度政府信息公开工作年度报告</a>'
            '<a href="more.html">下一页</a><script>createPageHTML(2, 1, "index", "html");</script>'
            '</body></html>').encode("utf-8")),
        "/nb/more.html": (200, {"Content-Type": HTML}, (
            '<html><body><a href="/nb/waf.htm">某县2021年度政府信息公开工作年度报告</a>'
            '<a href="/private/c.htm">某县2020年度政府信息公开工作年度报告</a>'
            '<a href="http://elsewhere.invalid/d.htm">某县2019年度政府信息公开工作年度报告</a>'
            '<a href="/nb/e.htm">某县2018年度信息公开年报</a></body></html>').encode("utf-8")),
        "/nb/a.htm": (200, {"Content-Type": HTML}, _report("某县2023年度政府信息公开工作年度报告", attachments)),
        "/files/2023%E6%8A%A5%E5%91%8A.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n% made up\n"),
        "/etc/passwd.docx": (200, {"Content-Type": "application/octet-stream"}, b"PK\x03\x04 made up"),
        "/nb/b.htm": (200, {"Content-Type": "text/html; charset=gb2312"},
                      _report("某县2022年度政府信息公开工作年度报告",
                              "<p>朱镕基、王珺同志出席。</p>", charset="gb2312")),
        "/nb/waf.htm": (200, {"Content-Type": HTML},
                        b"<html><script>document.cookie='x=1';location.href='/nb/waf.htm'</script></html>"),
    }
    with Server(routes) as srv:
        yield srv


def test_crawl_pagination_politeness_and_attachments(site, tmp_path):
    out = tmp_path / "out"
    records = crawl(site.url("/nb/index.html"), out_dir=out, **QUICK)
    by_url = {r["url"][len(site.base):] if r["url"].startswith(site.base) else r["url"]: r for r in records}
    assert list(by_url) == ["/nb/a.htm", "/nb/b.htm", "/nb/waf.htm", "/private/c.htm", "/nb/e.htm"]
    assert site.hits("/gzbg/2023.htm") == 0 and site.hits("/nb/") == 0

    a = by_url["/nb/a.htm"]
    assert (a["status"], a["title"], a["error"]) == (200, "某县2023年度政府信息公开工作年度报告", None)
    assert [(x["url"][len(site.base):], x["status"], x["path"] is not None) for x in a["attachments"]] == [
        ("/files/2023%E6%8A%A5%E5%91%8A.pdf", 200, True), ("/etc/passwd.docx", 200, True),
        ("/files/gone.xls", 404, False)]
    pdf, docx = (out / x["path"] for x in a["attachments"][:2])
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.suffix == ".pdf" and docx.suffix == ".docx"
    assert pdf.parent == (out / a["path"]).parent  # beside the report page

    b = by_url["/nb/b.htm"]
    assert b["encoding"] == "gb2312"
    report = zqparse.parse(out / b["path"], encoding=b["encoding"], url=b["url"])
    assert "朱镕基" in report.text and "王珺" in report.text and report.source.undecodable == 0

    waf = by_url["/nb/waf.htm"]
    assert waf["path"] is None and waf["status"] == 200 and waf["error"].startswith("anti-bot/WAF stub")
    private = by_url["/private/c.htm"]
    assert private["status"] is None and private["error"].startswith("RobotsDisallowedError")
    assert site.hits("/private/c.htm") == 0
    assert by_url["/nb/e.htm"]["status"] == 404

    # nothing is written outside out_dir, and every file name is a sha256
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(out in p.parents for p in files)
    assert all(re.fullmatch(r"[0-9a-f]{64}(\.\w+)?", p.name) for p in files if p.name != MANIFEST_NAME)


def test_first_list_page_failure_raises(site, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        crawl(site.url("/nb/nothing.html"), out_dir=tmp_path, **QUICK)


def test_refresh_lists_sees_new_reports(site, tmp_path):
    crawl(site.url("/nb/more.html"), out_dir=tmp_path, max_reports=0, **QUICK)
    hits = site.hits("/nb/more.html")
    crawl(site.url("/nb/more.html"), out_dir=tmp_path, max_reports=0, **QUICK)
    assert site.hits("/nb/more.html") == hits
    crawl(site.url("/nb/more.html"), out_dir=tmp_path, max_reports=0, refresh_lists=True, **QUICK)
    assert site.hits("/nb/more.html") == hits + 1


# --------------------------------------------------------------------------- link readers

BASE = "http://h.gov.cn/col/index_2.html"


@pytest.mark.parametrize("script, expected", [
    ('var countPage = 3//共多少页\ncreatePageHTML(countPage, 2, "index", "html");',
     ["index.html", "index_1.html"]),
    ("createPageHTML('page_div',4,2,'index','shtml',68);", ["index.shtml", "index_1.shtml", "index_2.shtml", "index_3.shtml"]),
    ("createPageHTML(1, 0, \"index\", \"html\");", ["index.html"]),
    ("createPageHTML(countPage, 0, \"index\", \"html\");", []),  # count unknown: nothing guessed
])
def test_create_page_html(script, expected):
    html = f"<html><body><script>{script}</script></body></html>"
    assert pagination_links(html, BASE) == ["http://h.gov.cn/col/" + name for name in expected if
                                            "http://h.gov.cn/col/" + name != BASE]


def test_trs_page_bar_and_next_links():
    html = ("<script>listModel({pagebar: {prepage: 10, recordCount: '25'}})</script>"
            '<a href="list_9.htm">下一页</a><a href="list_9.htm">尾页</a>')
    assert pagination_links(html, "http://h.gov.cn/col/nlist_1.htm") == [
        "http://h.gov.cn/col/nlist.htm", "http://h.gov.cn/col/nlist_2.htm", "http://h.gov.cn/col/list_9.htm"]
    assert pagination_links(fixture_path("pingtan-list.html").read_text(encoding="utf-8"),
                            "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm") == [
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist_1.htm"]


def test_report_links_use_the_full_title_and_skip_non_reports():
    html = ('<a href="a.htm" title="某局2019年度政府信息公开工作年度报告">某局2019年度政府...</a>'
            '<a href="b.htm">二〇一二年政府信息公开工作年度报告</a>'
            '<a href="c.htm">关于报送2019年度政府信息公开工作年度报告的通知</a>'
            '<a href="d.htm">政府信息公开年报</a><a href="e.htm">2019年政府工作报告</a>'
            '<a href="a.htm#top">某局2019年度政府信息公开工作年度报告</a>')
    assert report_links(html, "http://h.gov.cn/x/") == [
        ("http://h.gov.cn/x/a.htm", "某局2019年度政府信息公开工作年度报告"),
        ("http://h.gov.cn/x/b.htm", "二〇一二年政府信息公开工作年度报告")]


def test_attachment_links_and_base_href():
    html = ('<base href="http://cdn.h.gov.cn/att/"><a href="r.PDF">报告</a><a href="t.wps">表</a>'
            '<a href="p.htm">页</a><a href="r.PDF">重复</a>')
    assert attachment_links(html, "http://h.gov.cn/x/") == ["http://cdn.h.gov.cn/att/r.PDF",
                                                            "http://cdn.h.gov.cn/att/t.wps"]


# --------------------------------------------------------------------------- commands

def test_crawl_and_fetch_commands(site, tmp_path, capsys):
    from zqparse.cli import main

    quick = ["--rate", "0", "--timeout", "0.5", "0.5", "--retries", "0", "--proxy", ""]
    status = main(["crawl", site.url("/nb/index.html"), "-o", str(tmp_path / "c"), *quick])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1 and len(rows) == 5  # the WAF stub, robots refusal and 404 are errors
    assert (tmp_path / "c" / MANIFEST_NAME).is_file()

    status = main(["fetch", site.url("/nb/a.htm"), site.url("/nb/b.htm"), "-o", str(tmp_path / "f"), *quick,
                   "--allow-private"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0 and [r["status"] for r in rows] == [200, 200]
    assert rows[1]["encoding"] == "gb2312" and (tmp_path / "f" / rows[1]["path"]).is_file()
    status = main(["fetch", site.url("/nb/zzz.htm"), "-o", str(tmp_path / "f"), *quick, "--allow-private"])
    assert status == 1 and json.loads(capsys.readouterr().out)["error"] == "HTTP error: HTTP 404"


# --------------------------------------------------------------------------- facts kept once

def test_saved_pages_have_suffixes_parse_reads_and_docs_list_the_attachment_extensions():
    from zqparse import crawl
    from zqparse.bulk import PAGE_SUFFIXES

    assert {crawl.DEFAULT_PAGE_EXTENSION, *crawl.PAGE_EXTENSIONS.values()} <= set(PAGE_SUFFIXES)
    docs = (FIXTURES.parent / "docs" / "fetch.md").read_text(encoding="utf-8")
    assert "`crawl.ATTACHMENT_EXTENSIONS`: " + ", ".join(crawl.ATTACHMENT_EXTENSIONS) in " ".join(docs.split())
