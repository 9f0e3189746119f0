#!/usr/bin/env python3
"""Long fuzz run of ``zqparse.parse``: counts Reports, documented errors and anything else.

    python benchmarks/fuzz.py [-n 100000] [--jobs 2] [--seed 1] [--out DIR]

Inputs are random bytes, random text, random markup soup and mutated real fixtures
(``fixtures/**/*.html``, ``*.txt``), made from a seeded generator so any input can be
rebuilt from its number. The only documented outcomes are a Report (whose JSON encodes
and whose spans lie inside its text) or a ``ZqparseError``; a ``ParseError`` is counted
apart, since it means an internal bug was caught. Unexpected exceptions and internal
errors are saved under ``--out`` (with their traceback) for reproduction.
"""
from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

#: longest window of a fixture a mutated input starts from (keeps one input cheap)
MAX_WINDOW = 40_000

_SEEDS = []
_TOKENS = (
    "<p>", "</p>", "<div>", "</div>", "<div id='zoom'>", "<table>", "</table>", "<tr>", "<td>", "</td>", "<br>",
    "<td rowspan=9999 colspan=9999>", "<th colspan='x'>", "&#", "&amp;", "&#x4e00;", "&#99999999;", ";", "<!--",
    "-->", "<script>", "</script>", "<style>", "<title>", "</title>", "<meta name='ArticleTitle' content='",
    "'>", "<meta charset=gbk>", "<meta charset=utf-16>", "<?xml version='1.0' encoding='big5'?>", "<![CDATA[",
    "一、", "二、", "(一)", "(二)", "1.", "2.", "(1)", "①", "②", "二〇二〇年", "2020年", "1月1日", "至12月31日",
    "统计期限", "报告", "政府信息公开工作年度报告", "关于", "的通知", "由", "编制", "共", "件", "条", "%", "万元", "余",
    "其中", ",", "。", ":", "|", "9" * 30, "0.5", "-", "/", "无", "\x00", "\ufffd", "\u3000", "\u200b", " ", "\n",
    "\r\n", "\t", "本年新收政府信息公开申请数量", "总计", "予以公开", "行政复议", "结果维持", "<td>0</td>",
)


def _load_seeds():
    if not _SEEDS:
        for pattern in ("*.html", "*.txt", "excerpts/*.txt", "not-reports/*.html", "other-cms/*.html"):
            _SEEDS.extend(p.read_bytes() for p in sorted(FIXTURES.glob(pattern)))
    return _SEEDS


def make_input(number: int, seed: int):
    """The input numbered ``number`` of run ``seed`` (bytes or str), and its kind."""
    rng = random.Random(seed * 1_000_003 + number)
    kind = rng.choices(("bytes", "text", "soup", "mutant", "mutant-text"), weights=(15, 15, 25, 35, 10))[0]
    if kind == "bytes":
        return kind, rng.randbytes(rng.randint(0, 3000))
    if kind == "text":
        alphabet = rng.choice((None, "一二三四五六七八九十〇年月日共件条%.,:()<>&;# \n0123456789报告公开"))
        n = rng.randint(0, 2000)
        if alphabet is None:
            return kind, "".join(chr(rng.choice((rng.randint(0, 0x7f), rng.randint(0x80, 0xffff),
                                                 rng.randint(0x4e00, 0x9fff), rng.randint(0x10000, 0x10ffff))))
                                 for _ in range(n)) + "\n"
        return kind, "".join(rng.choice(alphabet) for _ in range(n)) + "\n"
    if kind == "soup":
        parts = [rng.choice(_TOKENS) for _ in range(rng.randint(0, 400))]
        text = rng.choice(("<html><body>", "", "<html><head><title>某局2019年政府信息公开工作年度报告</title></head><body>")) \
            + "".join(parts)
        return kind, text.encode(rng.choice(("utf-8", "gb18030")), "replace") if rng.random() < 0.5 else text + "\n"
    seeds = _load_seeds()
    data = bytearray(rng.choice(seeds))
    if len(data) > MAX_WINDOW:
        at = rng.randrange(len(data) - MAX_WINDOW)
        data = data[:2000] + data[at:at + MAX_WINDOW]  # keep the head: charset, title
    for _ in range(rng.randint(1, 10)):
        op = rng.choice(("cut", "flip", "insert", "delete", "duplicate", "splice", "swap"))
        at = rng.randrange(max(1, len(data)))
        if op == "cut":
            del data[at:]
        elif op == "flip" and data:
            data[at] = rng.randrange(256)
        elif op == "insert":
            data[at:at] = rng.randbytes(rng.randint(1, 64))
        elif op == "delete":
            del data[at:at + rng.randint(1, 4096)]
        elif op == "duplicate":
            data[at:at] = bytes(data[at:at + rng.randint(1, 2048)]) * rng.randint(1, 20)
        elif op == "splice":
            data[at:at] = rng.choice(_TOKENS).encode("utf-8") * rng.randint(1, 300)
        elif op == "swap" and len(data) > 2:
            other = rng.randrange(len(data))
            data[at], data[other] = data[other], data[at]
    if kind == "mutant-text":
        return kind, bytes(data).decode("utf-8", "replace") + "\n"
    return kind, bytes(data)


def _check(report) -> None:
    json.loads(report.to_json().encode("utf-8"))
    n = len(report.text)
    spans = [b.span for b in report.blocks]
    spans += [c.span for b in report.blocks for row in b.grid for c in row]
    spans += [s.span for s in report.walk_sections()] + [s.heading_span for s in report.walk_sections()]
    spans += [f.span for f in report.figures]
    spans += [t.span for t in report.tables.values()] + [c.span for t in report.tables.values() for c in t.cells.values()]
    for span in spans:
        if span is not None and not (0 <= span[0] <= span[1] <= n):
            raise AssertionError(f"span {span} outside text of length {n}")


def run_one(args):
    """(number, kind, outcome, seconds, detail) for one input."""
    number, seed = args
    import zqparse
    from zqparse.errors import ParseError, ZqparseError

    kind, source = make_input(number, seed)
    start = time.perf_counter()
    detail = ""
    try:
        report = zqparse.parse(source)
        _check(report)
        outcome = "Report"
    except ParseError as error:
        outcome = "ParseError"
        detail = "".join(traceback.format_exception(error.__cause__ or error))
    except ZqparseError as error:
        outcome = type(error).__name__
    except BaseException as error:  # the point of the run: anything else is a finding
        outcome = "UNEXPECTED"
        detail = "".join(traceback.format_exception(error))
    return number, kind, outcome, time.perf_counter() - start, detail


def _warm():
    import zqparse
    zqparse.parse(FIXTURES / "pingtan-zhq-2012.html")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="number of inputs (default 100000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first input number (rebuild one with -n 1)")
    parser.add_argument("--out", default="/tmp/zqparse-fuzz", help="where findings are saved")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    out = Path(args.out)
    counts = collections.Counter()
    by_kind = collections.Counter()
    slowest = []
    findings = 0
    started = time.perf_counter()
    work = ((i, args.seed) for i in range(args.start, args.start + args.n))
    with multiprocessing.Pool(args.jobs, initializer=_warm) as pool:
        for done, (number, kind, outcome, seconds, detail) in enumerate(
                pool.imap_unordered(run_one, work, chunksize=50), 1):
            counts[outcome] += 1
            by_kind[(kind, outcome)] += 1
            slowest = sorted(slowest + [(seconds, number, kind)], reverse=True)[:5]
            if detail:
                findings += 1
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{number}-{outcome}.txt").write_text(detail, encoding="utf-8")
            if done % 10_000 == 0:
                print(f"{done} inputs, {time.perf_counter() - started:.0f} s: {dict(counts)}", flush=True)
    documented = sum(v for k, v in counts.items() if k not in ("Report", "ParseError", "UNEXPECTED"))
    print(f"inputs: {sum(counts.values())}  seed: {args.seed}  wall: {time.perf_counter() - started:.0f} s")
    print(f"Reports: {counts['Report']}  documented errors: {documented}  "
          f"internal errors (ParseError): {counts['ParseError']}  unexpected exceptions: {counts['UNEXPECTED']}")
    for name, n in sorted(counts.items()):
        print(f"  {name:22} {n}")
    for (kind, outcome), n in sorted(by_kind.items()):
        print(f"  {kind:12} {outcome:22} {n}")
    print("slowest: " + ", ".join(f"#{n} {k} {s:.2f} s" for s, n, k in slowest))
    if findings:
        print(f"findings saved in {out}")
    return 1 if counts["UNEXPECTED"] or counts["ParseError"] else 0


if __name__ == "__main__":
    sys.exit(main())
