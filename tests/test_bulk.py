"""Bulk machinery: input expansion, manifests, the worker pool's order and crash handling, resume."""
from __future__ import annotations

import io
from collections import Counter
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zqparse
from conftest import FIXTURES
from zqparse import bulk, progress

ZHQ_2019 = FIXTURES / "pingtan-zhq-2019.html"
ZHAOQING = FIXTURES / "zhaoqing-mzj-2018.txt"


def paths(tasks):
    return [t.path for t in tasks]


def test_folder_expansion_takes_page_suffixes_in_sorted_order_and_skips_hidden(tmp_path: Path):
    for name in ("b/z.HTML", "b/a.txt", "a.shtml", "c.pdf", "d.json", ".git/x.html", "b/.swap.html", "e.htm"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    tasks = bulk.expand_inputs([str(tmp_path)])
    assert paths(tasks) == [str(tmp_path / n) for n in ("a.shtml", "c.pdf", "e.htm", "b/a.txt", "b/z.HTML")]


def test_named_files_count_whatever_their_suffix_and_each_is_one_input(tmp_path: Path):
    (tmp_path / "page.asp").write_text("x", encoding="utf-8")
    tasks = bulk.expand_inputs([str(tmp_path / "page.asp"), str(tmp_path / "page.asp"), str(tmp_path / "gone.htm"),
                                str(tmp_path / "gone.htm")])
    assert paths(tasks) == [str(tmp_path / "page.asp"), str(tmp_path / "gone.htm")]


def test_globs_lists_of_paths_and_missing_names(tmp_path: Path):
    (tmp_path / "y2019").mkdir()
    shutil.copy(ZHQ_2019, tmp_path / "y2019" / "r.html")
    shutil.copy(ZHAOQING, tmp_path / "r.txt")
    tasks = bulk.expand_inputs([str(tmp_path / "**" / "r.*"), str(tmp_path / "nope*.html")], files_from=["-"],
                               stdin=io.StringIO(f"{tmp_path / 'y2019'}\n\n{tmp_path / 'gone.html'}\n"))
    # y2019/r.html is reached twice (the glob, then its folder in the list): one input
    assert paths(tasks) == [str(tmp_path / "r.txt"), str(tmp_path / "y2019" / "r.html"),
                            str(tmp_path / "nope*.html"), str(tmp_path / "gone.html")]
    assert tasks[2].error == ("InputError", f"no file matches {str(tmp_path / 'nope*.html')!r}")
    assert tasks[3].error is None  # parse says the file is missing, in an error record


def test_overlapping_globs_give_each_file_once(tmp_path: Path):
    (tmp_path / "a").mkdir()
    shutil.copy(ZHAOQING, tmp_path / "a" / "r.txt")
    tasks = bulk.expand_inputs([str(tmp_path / "**" / "*"), str(tmp_path / "a"), str(tmp_path / "a" / "r.txt")])
    assert paths(tasks) == [str(tmp_path / "a" / "r.txt")]


def test_a_folder_walk_takes_documents_and_refused_formats_and_counts_the_rest(tmp_path: Path):
    for name in ("r.html", "r.pdf", "r.docx", "old.doc", "old.wps", "a.ofd", "pack.zip", "logo.jpg", "s.css",
                 "t.css", "page.asp"):
        (tmp_path / name).write_bytes(b"x")
    ignored: Counter = Counter()
    tasks = bulk.expand_inputs([str(tmp_path)], ignored=ignored)
    assert sorted(Path(t.path).name for t in tasks) == ["a.ofd", "old.doc", "old.wps", "pack.zip", "r.docx",
                                                        "r.html", "r.pdf"]
    assert ignored == Counter({".css": 2, ".jpg": 1, ".asp": 1})
    with_asp = bulk.expand_inputs([str(tmp_path)], suffixes=[".asp"])
    assert "page.asp" in {Path(t.path).name for t in with_asp}


def test_a_url_is_an_error_record_saying_fetch_it_first():
    (task,) = bulk.expand_inputs(["https://www.example.gov.cn/nb.htm"])
    assert task.error is not None and "is a URL: fetch it first" in task.error[1]


def test_the_page_on_stdin_is_one_input(tmp_path: Path):
    (task,) = bulk.expand_inputs(["-"], stdin=io.TextIOWrapper(io.BytesIO(ZHAOQING.read_bytes()), encoding="utf-8"))
    assert task.path == "-" and task.data == ZHAOQING.read_bytes()
    outcome = bulk.run_task(task)
    assert outcome.status == "report" and outcome.output["meta"]["agency"] == "肇庆市民政局"
    assert outcome.output["source"]["path"] == "-"


def test_the_output_file_is_never_an_input(tmp_path: Path):
    shutil.copy(ZHAOQING, tmp_path / "a.txt")
    (tmp_path / "out.txt").write_text("", encoding="utf-8")
    assert paths(bulk.expand_inputs([str(tmp_path)], exclude=[str(tmp_path / "out.txt")])) == [
        str(tmp_path / "a.txt")]


def test_manifest_entries(tmp_path: Path):
    (tmp_path / "crawl" / "p").mkdir(parents=True)
    shutil.copy(ZHQ_2019, tmp_path / "crawl" / "p" / "r.html")
    lines = [
        json.dumps({"url": "http://a/r.html", "path": "p/r.html", "status": 200, "encoding": "gb2312"}),
        json.dumps({"url": "http://a/x.html", "path": None, "status": 503, "error": "HTTP 503"}),
        json.dumps({"url": "http://a/y.html", "path": "../../etc/passwd", "status": 200}),
        "{broken",
        json.dumps(["not", "an", "object"]),
        "",
    ]
    manifest = tmp_path / "crawl" / "manifest.jsonl"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    tasks = bulk.read_manifest(str(manifest))
    assert len(tasks) == 5
    assert (tasks[0].path, tasks[0].url, tasks[0].encoding, tasks[0].error) == (
        str(tmp_path / "crawl" / "p" / "r.html"), "http://a/r.html", "gb2312", None)
    assert (tasks[1].path, tasks[1].key, tasks[1].error) == (None, "http://a/x.html", ("FetchError", "HTTP 503"))
    assert tasks[2].error[0] == "ManifestError" and "leaves the manifest's folder" in tasks[2].error[1]
    assert tasks[3].path == f"{manifest}:4" and tasks[3].error[0] == "ManifestError"
    assert tasks[4].error == ("ManifestError", "manifest line 5 is not a JSON object")
    # a folder holding a manifest is read through it
    assert bulk.expand_inputs([str(tmp_path)]) == tasks


def test_run_in_order_with_workers_equals_in_process(tmp_path: Path):
    tasks = bulk.expand_inputs([str(FIXTURES / "excerpts"), str(ZHQ_2019), str(tmp_path / "missing.html")])
    one = list(bulk.run(tasks, jobs=1))
    two = list(bulk.run(tasks, jobs=2))
    assert [o.key for o in two] == [t.key for t in tasks]
    assert [(o.status, o.sha256, o.output) for o in one] == [(o.status, o.sha256, o.output) for o in two]
    assert two[-1].status == "error" and two[-1].output["error"]["type"] == "InputError"
    assert two[-2].output["meta"]["agency"] == "平潭综合实验区"


class CrashOn:
    """A renderer that kills its worker process on one input, as a crash inside lxml would."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, record: dict) -> str:
        if "error" not in record and (record["source"]["path"] or "").endswith(self.name):
            os._exit(3)
        return record["source"]["path"]


def test_a_crashing_worker_costs_only_its_own_input(tmp_path: Path):
    names = [f"p{i}.txt" for i in range(9)]
    for name in names:
        shutil.copy(ZHAOQING, tmp_path / name)
    tasks = [bulk.Task(path=str(tmp_path / name)) for name in names]
    outcomes = list(bulk.run(tasks, jobs=2, render=CrashOn("p4.txt")))
    assert [o.key for o in outcomes] == [t.key for t in tasks]
    assert [o.status for o in outcomes] == ["report"] * 4 + ["error"] + ["report"] * 4
    assert outcomes[4].message.startswith(bulk.WORKER_CRASH)


def test_done_skips_unchanged_files_once_per_record(tmp_path: Path):
    shutil.copy(ZHAOQING, tmp_path / "a.txt")
    shutil.copy(ZHAOQING, tmp_path / "b.txt")
    a, b = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    first = list(bulk.run([bulk.Task(a), bulk.Task(b)]))
    done = bulk.Done([(a, first[0].sha256), (b, "0" * 64)])  # b has changed since
    again = list(bulk.run([bulk.Task(a), bulk.Task(a), bulk.Task(b)], done=done))
    assert [o.status for o in again] == ["skipped", "report", "report"]


def test_repair_tail_cuts_a_half_written_line(tmp_path: Path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert bulk.repair_tail(str(out)) == len(b'{"c": ')
    assert out.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert bulk.repair_tail(str(out)) == 0


def test_choose_jobs():
    assert bulk.choose_jobs(None, 3) == 1  # too small a run for workers
    assert bulk.choose_jobs(4, 2) == 2
    assert bulk.choose_jobs(None, 1000) == bulk.default_jobs()


def test_parse_many_gives_one_record_per_input(tmp_path: Path):
    (tmp_path / "empty.html").write_bytes(b"")
    shutil.copy(ZHAOQING, tmp_path / "z.txt")
    records = list(__import__("zqparse").parse_many(tmp_path, jobs=1))
    assert [r.get("error", {}).get("type") for r in records] == ["EmptyInputError", None]
    assert records[1]["meta"]["agency"] == "肇庆市民政局"


def test_summary_line():
    summary = bulk.Summary()
    for status in ("report", "report", "not_report", "error", "skipped"):
        summary.add(bulk.Outcome(status, "k", None, None))
    line = summary.line()
    assert line.startswith("zqparse: 5 inputs: 2 reports, 1 not-report, 1 error, 1 skipped (already in output) in ")
    assert line.endswith("pages/s")


@pytest.mark.parametrize("tty", [False, True])
def test_plain_progress_shows_rate_and_eta(tty: bool):
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    stream = Stream()
    bar = progress.PlainProgress(3, stream)
    for _ in range(3):
        bar.update()
    bar.close()
    text = stream.getvalue()
    assert "3/3 100%" in text and "pages/s" in text and "ETA" in text


def test_an_input_over_its_time_limit_becomes_a_timeout_record_and_the_run_goes_on(tmp_path):
    from conftest import fixture_path
    from zqparse import bulk

    seed = fixture_path("zhaoqing-mzj-2018.txt").read_text(encoding="utf-8")
    slow = tmp_path / "slow.txt"
    slow.write_text(seed * 400, encoding="utf-8")  # seconds of parsing
    quick = tmp_path / "quick.txt"
    quick.write_text(seed, encoding="utf-8")
    tasks = [bulk.Task(path=str(slow), timeout=0.3), bulk.Task(path=str(quick), timeout=30)]
    outcomes = list(bulk.run(tasks, jobs=1))
    assert [o.status for o in outcomes] == ["error", "report"]
    assert outcomes[0].output["error"]["type"] == "ParseTimeoutError"
    assert outcomes[0].output["source"]["path"] == str(slow)
    assert outcomes[1].output["meta"]["agency"] == "肇庆市民政局"


def test_cli_timeout_in_worker_processes(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import fixture_path

    seed = fixture_path("zhaoqing-mzj-2018.txt").read_text(encoding="utf-8")
    (tmp_path / "a-slow.txt").write_text(seed * 400, encoding="utf-8")
    (tmp_path / "b-quick.txt").write_text(seed, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "zqparse", "parse", str(tmp_path), "--format", "jsonl",
                          "--jobs", "2", "--timeout", "0.5", "-q"], capture_output=True, text=True)
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r.get("error", {}).get("type") for r in records] == ["ParseTimeoutError", None]
    assert out.returncode == 1


def test_progress_disabled_draws_nothing_but_still_writes_messages():
    stream = io.StringIO()
    bar = progress.make_progress(2, enabled=False, stream=stream)
    bar.update()
    bar.write("zqparse: error: a.html: EmptyInputError: input is empty")
    bar.update()
    bar.close()
    assert stream.getvalue() == "zqparse: error: a.html: EmptyInputError: input is empty\n"


# --------------------------------------------------------------------------- crawled stubs and attachments

def _crawl_folder(tmp_path: Path, page: bytes, attachment: Path) -> Path:
    crawl = tmp_path / "crawl"
    (crawl / "files").mkdir(parents=True)
    (crawl / "files" / "page.html").write_bytes(page)
    shutil.copy(attachment, crawl / "files" / attachment.name)
    entry = {"url": "http://www.example.gov.cn/nb/2024.htm", "title": "淮安市人民政府2024年政府信息公开工作年度报告",
             "path": "files/page.html", "status": 200, "encoding": "utf-8", "error": None,
             "attachments": [{"url": "http://www.example.gov.cn/nb/P2024.pdf", "path": f"files/{attachment.name}",
                              "status": 200}]}
    (crawl / "manifest.jsonl").write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    return crawl


def test_a_stub_page_gives_the_record_of_its_attachment_with_the_pages_url(tmp_path: Path):
    stub = ("<html><head><title>淮安市人民政府2024年政府信息公开工作年度报告</title></head><body>"
            "<p>淮安市人民政府2024年政府信息公开工作年度报告</p><p>发布日期：2025-01-20</p>"
            "<p>详见附件。</p></body></html>").encode("utf-8")
    crawl = _crawl_folder(tmp_path, stub, FIXTURES / "pdf" / "huaian-szf-2024.pdf")
    (task,) = bulk.expand_inputs([str(crawl)])
    record = bulk.run_task(task).output
    assert record["source"]["media"] == "pdf" and record["source"]["url"] == "http://www.example.gov.cn/nb/2024.htm"
    assert record["meta"]["agency"] == "淮安市人民政府" and record["metrics"]["requests.new.total"] == 3119
    assert record["warnings"][0] == ("the report is the attachment http://www.example.gov.cn/nb/P2024.pdf of the "
                                     "page http://www.example.gov.cn/nb/2024.htm, which only links it")


def test_a_page_that_holds_its_report_is_its_record_and_its_attachment_is_not_parsed_again(tmp_path: Path):
    crawl = _crawl_folder(tmp_path, ZHAOQING.read_bytes(), FIXTURES / "pdf" / "huaian-szf-2024.pdf")
    (task,) = bulk.expand_inputs([str(crawl)])
    record = bulk.run_task(task).output
    assert record["source"]["media"] == "text" and record["meta"]["agency"] == "肇庆市民政局"
    assert not any("attachment" in warning for warning in record["warnings"])


def test_parse_many_without_subjects_gives_figures_without_subjects():
    normal, bare = (list(zqparse.parse_many([str(ZHAOQING), str(ZHQ_2019)], jobs=1, subjects=subjects))
                    for subjects in (True, False))
    assert [f["subject"] for f in normal[0]["figures"]][:2] == ["主动公开政府信息", "肇庆民政官方网站主动公开信息"]
    assert all(f["subject"] is None for record in bare for f in record["figures"])
    assert [r["metrics"] for r in bare] == [r["metrics"] for r in normal]
    assert [len(r["figures"]) for r in bare] == [len(r["figures"]) for r in normal] == [25, 49]


@pytest.mark.parametrize("subjects", [False, True])
def test_a_pool_run_loads_jieba_only_when_subjects_are_asked_for(subjects: bool):
    """The pool's warm-up (before the fork) and the workers' parses: no jieba without subjects."""
    code = ("import sys; from zqparse import bulk; "
            "tasks = [bulk.Task(path=p, subjects=sys.argv[3] == 'True') for p in sys.argv[1:3]]; "
            "out = [o.output for o in bulk.run(tasks, jobs=2)]; "
            "print([sum(f['subject'] is not None for f in r['figures']) > 0 for r in out], 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(ZHAOQING), str(ZHQ_2019), str(subjects)],
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split(" ", 2) == [f"[{subjects},", f"{subjects}]", f"{subjects}\n"]
