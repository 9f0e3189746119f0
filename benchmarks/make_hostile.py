#!/usr/bin/env python3
"""The hostile-input set: pages built to break a parser, generated rather than committed.

Each case is a :class:`Case`: a builder (``scale`` multiplies its size), the outcomes
zqparse documents for it, and a generous time bound at scale 1 that the tests assert.
Run by hand:

    python benchmarks/make_hostile.py write OUTDIR      # write every case to OUTDIR (files)
    python benchmarks/make_hostile.py measure           # parse each case: outcome, seconds
    python benchmarks/make_hostile.py scaling           # seconds at 1x, 10x, 100x per growing case
    python benchmarks/make_hostile.py rss [MB]          # peak RSS of a page of MB megabytes (default 50)

``tests/test_hostile.py`` imports this file and runs every case.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Tuple, Union

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

Source = Union[bytes, str]

#: outcome names: "Report" or the class name of a documented zqparse error
REPORT = "Report"


@dataclass(frozen=True)
class Case:
    """One hostile page: how to build it, what may come out, how long it may take."""

    name: str
    build: Callable[[float], Source]
    outcomes: Tuple[str, ...]
    seconds: float  # bound on the parse time at scale 1 (generous: CI machines are slow)
    grows: bool = False  # size grows with scale (used by the scaling measurement)
    note: str = ""
    contains: str = ""  # text the Report's text must hold (nothing may be lost silently)


def _n(base: int, scale: float) -> int:
    """``base`` times ``scale``, at least 1."""
    return max(1, int(base * scale))


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


#: a paragraph of report text long enough to be taken for the main content
DEEP_TEXT = "一、概述 本年度共收到政府信息公开申请5件,全部按时答复,其中予以公开3件,部分公开2件,没有因此被申请行政复议。"


def _report_html(body: str, title: str = "某某局2020年政府信息公开工作年度报告") -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><div id='zoom'><p>{title}</p>{body}</div></body></html>")


# --------------------------------------------------------------------------- builders


def truncated_mid_utf8(scale: float) -> bytes:
    data = _fixture("pingtan-zhq-2021.html")
    cut = len(data) // 2
    while data[cut] < 0x80 or data[cut] >= 0xC0:  # stop inside a multi-byte sequence
        cut += 1
    return data[:cut + 1]


def truncated_mid_tag(scale: float) -> bytes:
    data = _fixture("pingtan-zhq-2019.html")
    cut = data.index(b"<td", len(data) // 2)
    return data[:cut + 2]


def truncated_head(scale: float) -> bytes:
    data = _fixture("pingtan-zhq-2012.html")
    return data[:data.index(b"<title>") + 20]  # inside the title, mid-character


def gbk_declared_utf8(scale: float) -> bytes:
    text = _fixture("pingtan-zhq-2017.html").decode("utf-8")
    return text.encode("gb18030", errors="replace")  # still says <meta charset="utf-8">


def utf8_declared_gbk(scale: float) -> bytes:
    data = _fixture("pingtan-zhq-2016.html")
    return data.replace(b'charset="utf-8"', b'charset="gbk"').replace(b"charset=utf-8", b"charset=gbk")


def utf16_declared_in_meta(scale: float) -> bytes:
    return _report_html("<p>一、概述</p><p>本年度共收到申请5件。</p>").replace(
        "charset='utf-8'", "charset='utf-16'").encode("utf-8")


def text_gbk_no_declaration(scale: float) -> bytes:
    return _fixture("zhaoqing-mzj-2018.txt").decode("utf-8").encode("gbk", errors="replace")


def binary_random(scale: float) -> bytes:
    return random.Random(7).randbytes(_n(200_000, scale))


def binary_png_named_html(scale: float) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(50_000)


def gzipped_page(scale: float) -> bytes:
    import gzip
    return gzip.compress(_fixture("pingtan-zhq-2012.html"))


def gzip_bomb(scale: float) -> bytes:
    """40 MB of spaces in 40 kB of gzip: inflated only up to the size cap, then refused."""
    import gzip
    return gzip.compress(b" " * (40 * 1024 * 1024))


def binary_pdf(scale: float) -> bytes:
    return b"%PDF-1.4\n" + random.Random(9).randbytes(10_000)


def page_over_cap(scale: float) -> bytes:
    """A 50 MB page: refused by the default size cap before any work."""
    unit = _report_html("<p>一、概述</p><p>本年度共收到政府信息公开申请5件。</p>" * 10).encode("utf-8")
    return unit * (50 * 1024 * 1024 // len(unit) + 1)


def big_page(scale: float) -> bytes:
    """Real report prose (the excerpts' lines) repeated inside one content element: 1 MB × scale."""
    lines = [line for path in sorted((FIXTURES / "excerpts").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    paras = "".join(f"<p>{line}</p>" for line in lines).encode("utf-8")
    head = _report_html("").encode("utf-8")
    cut = head.index(b"</div>")
    return head[:cut] + paras * max(1, _n(1024 * 1024, scale) // len(paras)) + head[cut:]


def table_rows(scale: float) -> str:
    rows = "".join(f"<tr><td>第{i}项</td><td>{i}</td><td>{i * 3}</td></tr>" for i in range(_n(10_000, scale)))
    return _report_html(f"<p>二、主动公开情况</p><table>{rows}</table>")


def span_bomb(scale: float) -> str:
    """A small table whose rowspan/colspan would expand into ~10⁸ grid slots."""
    first = "<td rowspan='999999' colspan='999999'>公开事项</td>" * _n(200, scale)
    rows = f"<tr>{first}</tr>" + "<tr><td>本年新收申请</td><td>2</td></tr>" * _n(1000, scale)
    return _report_html(f"<p>{DEEP_TEXT}</p><table>{rows}</table>")


def nested(tag: str) -> Callable[[float], str]:
    def build(scale: float) -> str:
        n = _n(100_000, scale)
        return _report_html(f"<{tag}>" * n + DEEP_TEXT + f"</{tag}>" * n + "<p>二、结尾</p>")
    build.__name__ = f"nested_{tag}"
    return build


def nested_tables(scale: float) -> str:
    n = _n(20_000, scale)
    return _report_html("<table><tr><td>" * n + DEEP_TEXT + "</td></tr></table>" * n)


def nested_content_divs(scale: float) -> str:
    """10⁴ nested elements that each look like the content element."""
    n = _n(10_000, scale)
    return _report_html("<div class='content'><p>一、概述 本年度共收到申请5件。</p>" * n + "</div>" * n)


def nested_inline_in_blocks(scale: float) -> str:
    """Blocks whose inline child holds the rest of the page: quadratic for naive text counting."""
    n = _n(10_000, scale)
    return _report_html("<div>文字<span>内容" * n + "</span></div>" * n)


def long_number(scale: float) -> str:
    digits = "9" * (_n(10_000, scale))
    return ("某某局2020年政府信息公开工作年度报告\n一、概述\n"
            f"本年度共主动公开政府信息{digits}条,收到申请{digits}件,占比{digits}.5%。\n"
            f"二、主动公开情况\n新增{digits}万元。")


def long_number_in_table(scale: float) -> str:
    digits = "9" * (_n(10_000, scale))
    return _report_html(f"<table><tr><td>本年新收政府信息公开申请数量</td><td>{digits}</td></tr>"
                        f"<tr><td>总计</td><td>{digits}</td></tr></table>")


def repetition(scale: float) -> bytes:
    """Zip-bomb-like: one paragraph repeated to ~8 MB × scale (compresses to almost nothing)."""
    para = "<p>(一)主动公开情况。本年度共主动公开政府信息1740条,其中文件类123条。</p>".encode("utf-8")
    return _report_html("").encode("utf-8")[:-20] + para * (8 * 1024 * _n(1024, scale) // len(para)) + b"</body></html>"


def repetition_text(scale: float) -> str:
    line = "一、概述 本年度共收到申请5件,办结5件,占比100%。\n"
    return line * (_n(100_000, scale))


def nul_bytes_few(scale: float) -> bytes:
    data = bytearray(_fixture("pingtan-zhq-2012.html"))
    for i in range(1000, len(data), 5000):
        data[i] = 0
    return bytes(data)


def nul_bytes_many(scale: float) -> bytes:
    return b"\x00" * _n(100_000, scale) + _fixture("pingtan-zhq-2012.html")


def nul_in_text(scale: float) -> str:
    return _fixture("zhaoqing-mzj-2018.txt").decode("utf-8").replace("。", "。\x00")


def lone_surrogates(scale: float) -> str:
    text = _fixture("zhaoqing-mzj-2018.txt").decode("utf-8")
    return text.replace("。", "\ud800。\udfff").replace("一、", "\udc80一、\ud83d")


def malformed_entities(scale: float) -> str:
    junk = ("&#99999999999999999999; &#xD800; &#0; &#x110000; &amp &lt;&gt &nbsp &#x; &#; &foo; "
            "&" + "a" * 10_000 + "; &#" + "9" * 10_000 + "; &#x" + "f" * 10_000 + ";")
    return _report_html(f"<p>一、概述</p><p>{junk}</p><p>本年度共收到申请5件。</p>" * _n(1, scale))


def entity_expansion(scale: float) -> str:
    """Billion laughs and an external entity: neither may be expanded or fetched."""
    lol = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    return ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">' + lol
            + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + _report_html("<p>一、概述</p><p>&l9; &xxe;</p>"))


def unclosed_tags(scale: float) -> str:
    return _report_html("<p>一、概述<div><span><b>本年度<table><tr><td>1<td>2<tr><td>3" * (_n(10_000, scale)))


def unclosed_comment_and_script(scale: float) -> str:
    return _report_html("<p>一、概述</p><p>本年度共收到申请5件。</p><!-- " + "<p>x</p>" * 1000 + "<script>" + "a<" * 100_000)


def open_brackets(scale: float) -> str:
    """Tag openers that never close: a regex like <[^>]*> backtracks on every one."""
    return "<html><body>" + "<" * (_n(1_000_000, scale)) + "一、概述"


def attribute_flood(scale: float) -> str:
    attrs = " ".join(f"a{i}='{'x' * 10}'" for i in range(_n(10_000, scale)))
    return _report_html(f"<p {attrs}>一、概述</p><p>本年度共收到申请5件。</p>")


def huge_title(scale: float) -> str:
    title = "关于" * (_n(200_000, scale)) + "政府信息公开年报"
    return f"<html><head><title>{title}</title><meta name='ArticleTitle' content='{title}'></head>" \
           f"<body><p>{title}</p><p>一、概述</p></body></html>"


def ling_run(scale: float) -> str:
    run = "〇" * (_n(100_000, scale))
    return f"某某局{run}年政府信息公开工作年度报告\n一、概述\n本年度共收到申请{run}件,{run}年{run}月{run}日。"


def headings(scale: float) -> str:
    n = _n(100_000, scale)
    lines = []
    for i in range(n):
        level = i % 4
        lines.append(("一二三四五六七八九十"[i % 10] + "、标题" if level == 0 else
                      f"({'一二三四五六七八九十'[i % 10]})小标题" if level == 1 else
                      f"{i % 99 + 1}.条目" if level == 2 else f"({i % 99 + 1})细目") + f"第{i}项")
    return "某某局2020年政府信息公开工作年度报告\n" + "\n".join(lines)


def heading_ladder(scale: float) -> str:
    """Headings that each continue the count (1. … 99. repeated): the deepest legal tree, 10⁵ long."""
    lines = ["某某局2020年政府信息公开工作年度报告"]
    for i in range(_n(100_000, scale)):
        lines.append(f"{i % 99 + 1}.第{i}条")
    return "\n".join(lines)


def long_line(scale: float) -> str:
    return "某某局2020年政府信息公开工作年度报告\n" + "公开" * (_n(2_000_000, scale))


def whitespace_runs(scale: float) -> str:
    return "某某局2020年政府信息公开工作年度报告 " + (" " * 100_000 + "公开 ") * (_n(10, scale)) + "\t" * 100_000


def control_chars(scale: float) -> str:
    chars = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r")
    return "某某局2020年政府信息公开工作年度报告\n" + ("一、概述" + chars + "\u202e\u200b\ufeff") * _n(1000, scale)


def mixed_scripts(scale: float) -> str:
    """Combining marks, emoji, RTL, CJK extension B: NFKC and width handling."""
    return ("某某局2020年政府信息公开工作年度报告\n一、概述\n" + "a\u0301\u0302\u0303" * 1000
            + "😀🇨🇳" * 1000 + "\U00020000\U0002a6d6" * 1000 + "①②③⑳" * 1000 + "㍻㋿ﬀ" * 1000) * _n(1, scale)


def many_paragraphs(scale: float) -> str:
    return _report_html("<p>短</p>" * (_n(200_000, scale)))


def date_patterns(scale: float) -> str:
    """Many near-dates: 2020年 followed by everything but a month."""
    return "某某局2020年政府信息公开工作年度报告\n" + ("2020年" + " " * 3 + "13月" + "二〇二〇年十三月") * (_n(50_000, scale))


CASES: Dict[str, Case] = {c.name: c for c in (
    Case("truncated_mid_utf8", truncated_mid_utf8, (REPORT,), 5, note="a real page cut inside a UTF-8 sequence"),
    Case("truncated_mid_tag", truncated_mid_tag, (REPORT,), 5, note="a real page cut inside a <td"),
    Case("truncated_head", truncated_head, (REPORT,), 5, note="a real page cut inside its <title>"),
    Case("gbk_declared_utf8", gbk_declared_utf8, (REPORT,), 5, note="GBK bytes under <meta charset=utf-8>"),
    Case("utf8_declared_gbk", utf8_declared_gbk, (REPORT,), 5, note="UTF-8 bytes under <meta charset=gbk>"),
    Case("utf16_declared_in_meta", utf16_declared_in_meta, (REPORT,), 5,
         note="ASCII-compatible bytes whose <meta> says utf-16"),
    Case("text_gbk_no_declaration", text_gbk_no_declaration, (REPORT,), 5, note="a GBK text file"),
    Case("binary_random", binary_random, ("BinaryInputError",), 5, grows=True, note="200 kB of random bytes"),
    Case("binary_png_named_html", binary_png_named_html, ("BinaryInputError",), 5),
    Case("gzipped_page", gzipped_page, (REPORT,), 5, note="a gzip-compressed page: inflated, then read"),
    Case("gzip_bomb", gzip_bomb, ("InputTooLargeError",), 5, note="40 MB of gzipped spaces: inflated up to MAX_BYTES, refused"),
    Case("binary_pdf", binary_pdf, ("CorruptDocumentError",), 5, note="a PDF header over random bytes: damaged"),
    Case("page_over_cap", page_over_cap, ("InputTooLargeError",), 2, note="a 50 MB page: refused by MAX_BYTES"),
    Case("big_page", big_page, (REPORT,), 20, grows=True, note="real report prose repeated to 1 MB in one content element"),
    Case("table_10k_rows", table_rows, (REPORT,), 20, grows=True, note="one table of 10⁴ rows"),
    Case("span_bomb", span_bomb, (REPORT,), 10, grows=True,
         note="200 cells with rowspan=colspan=999999 over 1000 rows"),
    Case("nested_div_1e5", nested("div"), (REPORT,), 20, grows=True, note="<div> nested 10⁵ deep", contains="二、结尾"),
    Case("nested_span_1e5", nested("span"), (REPORT,), 20, grows=True, note="<span> nested 10⁵ deep", contains="二、结尾"),
    Case("nested_b_1e5", nested("b"), (REPORT,), 20, grows=True, note="<b> nested 10⁵ deep", contains="二、结尾"),
    Case("nested_tables_2e4", nested_tables, (REPORT,), 20, grows=True, note="tables nested 2·10⁴ deep", contains="全部按时答复"),
    Case("nested_content_divs", nested_content_divs, (REPORT,), 20, grows=True,
         note="10⁴ nested <div class=content>"),
    Case("nested_inline_in_blocks", nested_inline_in_blocks, (REPORT,), 20, grows=True,
         note="10⁴ nested div>span pairs"),
    Case("long_number", long_number, (REPORT,), 10, grows=True, note="numbers 10⁴ digits long in prose"),
    Case("long_number_in_table", long_number_in_table, (REPORT,), 10, grows=True,
         note="a 10⁴-digit number in a template table cell"),
    Case("repetition", repetition, (REPORT,), 90, grows=True, note="one paragraph repeated to 8 MB"),
    Case("repetition_text", repetition_text, (REPORT,), 90, grows=True,
         note="one heading line repeated 10⁵ times"),
    Case("nul_bytes_few", nul_bytes_few, (REPORT,), 5, note="a real page with a NUL every 5000 bytes"),
    Case("nul_bytes_many", nul_bytes_many, ("BinaryInputError",), 5, grows=True,
         note="10⁵ NUL bytes before a page"),
    Case("nul_in_text", nul_in_text, (REPORT,), 5, note="str input with NUL characters"),
    Case("lone_surrogates", lone_surrogates, (REPORT,), 5, note="str input with unpaired surrogates"),
    Case("malformed_entities", malformed_entities, (REPORT,), 5, grows=True,
         note="numeric entities out of range, 10⁴-long entity names"),
    Case("entity_expansion", entity_expansion, (REPORT,), 5, note="billion laughs and an external entity"),
    Case("unclosed_tags", unclosed_tags, (REPORT,), 20, grows=True, note="10⁴ groups of unclosed tags"),
    Case("unclosed_comment_and_script", unclosed_comment_and_script, (REPORT,), 5),
    Case("open_brackets", open_brackets, (REPORT, "EmptyInputError"), 10, grows=True,
         note="10⁶ '<' that never close"),
    Case("attribute_flood", attribute_flood, (REPORT,), 10, grows=True, note="one tag with 10⁴ attributes"),
    Case("huge_title", huge_title, (REPORT,), 10, grows=True, note="a 400 kB title of 关于关于…"),
    Case("ling_run", ling_run, (REPORT,), 10, grows=True, note="〇 runs of 10⁵ characters"),
    Case("headings_1e5", headings, (REPORT,), 20, grows=True, note="10⁵ heading-like lines of four levels"),
    Case("heading_ladder_1e5", heading_ladder, (REPORT,), 20, grows=True,
         note="10⁵ level-3 headings in sequence"),
    Case("long_line", long_line, (REPORT,), 10, grows=True, note="one 4·10⁶-character line"),
    Case("whitespace_runs", whitespace_runs, (REPORT,), 10, grows=True, note="runs of 10⁵ spaces"),
    Case("control_chars", control_chars, (REPORT,), 5, grows=True, note="C0 controls, bidi, zero-width"),
    Case("mixed_scripts", mixed_scripts, (REPORT,), 5, grows=True, note="combining marks, emoji, ext-B"),
    Case("many_paragraphs", many_paragraphs, (REPORT,), 20, grows=True, note="2·10⁵ one-character paragraphs"),
    Case("date_patterns", date_patterns, (REPORT,), 10, grows=True, note="5·10⁴ near-dates"),
)}


# --------------------------------------------------------------------------- running


def outcome(source: Source, **kwargs) -> Tuple[str, float]:
    """(outcome name, seconds) of parsing ``source``; unexpected exceptions propagate."""
    import zqparse
    from zqparse.errors import ZqparseError

    start = time.perf_counter()
    try:
        report = zqparse.parse(source, **kwargs)
        report.to_json()
        name = REPORT
    except ZqparseError as error:
        name = type(error).__name__
    return name, time.perf_counter() - start


def _size(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else len(source.encode("utf-8", "surrogatepass"))


def _cmd_write(args) -> int:
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES.values():
        source = case.build(1)
        data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        suffix = ".txt" if isinstance(source, str) and "<html" not in source[:200] else ".html"
        (out / f"{case.name}{suffix}").write_bytes(data)
    print(f"wrote {len(CASES)} cases to {out}")
    return 0


def warm_up() -> None:
    """Load the lazy parts (lxml, jieba's dictionary) so timings measure parsing only."""
    import zqparse
    zqparse.parse(FIXTURES / "pingtan-zhq-2012.html")


def _cmd_measure(args) -> int:
    warm_up()
    bad = 0
    for case in CASES.values():
        if args.only and case.name not in args.only:
            continue
        source = case.build(1)
        try:
            name, seconds = outcome(source)
        except Exception as error:  # report it and go on: this is what the measurement is for
            name, seconds = f"UNEXPECTED {type(error).__name__}: {str(error)[:120]}", float("nan")
        ok = name in case.outcomes and seconds <= case.seconds
        bad += not ok
        print(f"{case.name:28} {_size(source) / 1e6:8.2f} MB  {seconds:7.3f} s  (bound {case.seconds:4.0f} s)"
              f"  {name}{'' if ok else '  <-- UNEXPECTED'}", flush=True)
    return 1 if bad else 0


def _cmd_scaling(args) -> int:
    from zqparse.pipeline import MAX_BYTES
    warm_up()
    for case in CASES.values():
        if not case.grows or (args.only and case.name not in args.only):
            continue
        times = []
        for scale in args.scales:
            source = case.build(scale)
            _, seconds = outcome(source, max_bytes=max(MAX_BYTES, _size(source)))
            times.append((scale, _size(source), seconds))
        base = times[0][2] or 1e-9
        cells = "  ".join(f"{s / times[0][0]:>4.0f}x {n / 1e6:7.2f} MB {t:7.3f} s ({t / base:6.1f}x)" for s, n, t in times)
        print(f"{case.name:28} {cells}", flush=True)
    return 0


def _cmd_rss(args) -> int:
    """Peak RSS of one parse of a page of ``args.mb`` MB, in a fresh child process."""
    import subprocess
    build = ("make_hostile.big_page(%d)" % args.mb if args.real else
             "make_hostile._report_html('<p>一、概述</p><p>本年度共收到政府信息公开申请5件,办结5件。</p>' * 10)"
             ".encode() * (%d * 1024 * 1024 // 1200)" % args.mb)
    code = (
        "import resource, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "import make_hostile\n"
        "make_hostile.warm_up()\n"
        f"data = {build}\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "name, seconds = make_hostile.outcome(data, max_bytes=len(data))\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(f'{len(data) / 1e6:.1f} MB page: {name} in {seconds:.1f} s; peak RSS {peak / 1024:.0f} MiB '\n"
        "      f'(before parsing, input built: {before / 1024:.0f} MiB)')\n"
    )
    return subprocess.call([sys.executable, "-c", code])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("write")
    p.add_argument("outdir")
    p.set_defaults(func=_cmd_write)
    p = sub.add_parser("measure")
    p.add_argument("only", nargs="*")
    p.set_defaults(func=_cmd_measure)
    p = sub.add_parser("scaling")
    p.add_argument("only", nargs="*")
    p.add_argument("--scales", type=float, nargs="+", default=[0.01, 0.1, 1.0])
    p.set_defaults(func=_cmd_scaling)
    p = sub.add_parser("rss")
    p.add_argument("mb", nargs="?", type=int, default=50)
    p.add_argument("--real", action="store_true", help="a real report's body repeated (else short paragraphs)")
    p.set_defaults(func=_cmd_rss)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
