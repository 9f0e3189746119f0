"""The ``zqparse`` command end to end, run as a subprocess on real fixture pages."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest

import zqparse
from conftest import FIXTURES, parsed

ROOT = FIXTURES.parent

ZHQ_2019 = FIXTURES / "pingtan-zhq-2019.html"
ZHQ_2021 = FIXTURES / "pingtan-zhq-2021.html"
ZHAOQING = FIXTURES / "zhaoqing-mzj-2018.txt"
NOTICE = FIXTURES / "not-reports" / "pingtan-notice-2021.html"


def zq(*args: str, cwd: Optional[Path] = None, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    """Run ``python -m zqparse ARGS`` and capture its output as text."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "zqparse", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


def jsonl(text: str) -> List[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A small archive: real reports in nested folders, a non-report, and broken files."""
    root = tmp_path / "archive"
    (root / "2019" / "deep").mkdir(parents=True)
    (root / "misc").mkdir()
    shutil.copy(ZHQ_2019, root / "2019" / "a.html")
    shutil.copy(ZHAOQING, root / "2019" / "deep" / "b.txt")
    shutil.copy(NOTICE, root / "misc" / "notice.shtml")
    (root / "misc" / "empty.htm").write_bytes(b"")
    (root / "misc" / "binary.html").write_bytes(bytes(range(256)) * 40)
    (root / "misc" / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500)
    (root / "misc" / "notes.jpg").write_bytes(b"\xff\xd8\xff not a report suffix")  # counted, not taken
    (root / ".hidden.html").write_bytes(ZHQ_2021.read_bytes())  # hidden: skipped
    return root


# --------------------------------------------------------------------------- formats

def test_jsonl_gives_one_line_per_input_in_order():
    result = zq("parse", str(ZHQ_2019), str(ZHAOQING), str(NOTICE), "--format", "jsonl", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    records = jsonl(result.stdout)
    assert [r["source"]["path"] for r in records] == [str(ZHQ_2019), str(ZHAOQING), str(NOTICE)]
    assert (records[0]["meta"]["agency"], records[0]["meta"]["year"]) == ("平潭综合实验区", 2019)
    assert (records[1]["meta"]["agency"], records[1]["meta"]["year"]) == ("肇庆市民政局", 2018)
    assert records[2]["meta"]["is_report"] is False
    assert "3 inputs: 2 reports, 1 not-report, 0 errors" in result.stderr


def test_json_is_one_document_for_one_input_and_an_array_for_several():
    one = zq("parse", str(ZHAOQING))
    assert one.returncode == 0
    document = json.loads(one.stdout)
    assert document["meta"]["agency"] == "肇庆市民政局"
    several = zq("parse", str(ZHAOQING), str(ZHQ_2019), "--format", "json", "-q")
    array = json.loads(several.stdout)
    assert [d["meta"]["year"] for d in array] == [2018, 2019]
    assert several.stderr == ""


def test_csv_metrics_to_a_file(tmp_path: Path):
    out = tmp_path / "metrics.csv"
    result = zq("parse", str(ZHQ_2019), str(ZHAOQING), "-o", str(out))  # csv from the suffix
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM so that spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["path", "agency", "year", "family", "key", "value"]
    ours = {r["key"]: r["value"] for r in rows if r["path"] == str(ZHQ_2019)}
    assert ours == {key: str(value) for key, value in parsed("pingtan-zhq-2019.html").metrics.items()}
    assert ours["requests.new.total"] == "23"
    assert all(r["agency"] == "平潭综合实验区" and r["year"] == "2019" for r in rows if r["path"] == str(ZHQ_2019))


def test_csv_sections_and_reports_kinds():
    sections = zq("parse", str(ZHQ_2021), "--format", "csv", "--csv-kind", "sections")
    rows = list(csv.DictReader(io.StringIO(sections.stdout)))
    titles = [r["title"] for r in rows if r["level"] == "1"]
    assert titles[:3] == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"]
    child = next(r for r in rows if r["level"] == "2")
    assert rows[int(child["parent"])]["title"] == "总体情况"

    reports = zq("parse", str(ZHQ_2021), str(NOTICE), "--format", "csv", "--csv-kind", "reports")
    rows = list(csv.DictReader(io.StringIO(reports.stdout)))
    assert [(r["agency"], r["year"], r["is_report"]) for r in rows] == [
        ("平潭综合实验区", "2021", "true"), ("", "", "false")]


def test_tidy_csv_names_failed_inputs_on_stderr(archive: Path):
    result = zq("parse", str(archive), "--format", "csv", "--csv-kind", "metrics")
    assert result.returncode == 1
    assert "empty.htm: EmptyInputError" in result.stderr
    assert "binary.html: BinaryInputError" in result.stderr


# --------------------------------------------------------------------------- inputs

def test_folder_is_expanded_recursively_by_suffix_in_sorted_order(archive: Path):
    result = zq("parse", "archive", "--format", "jsonl", "--jobs", "2", cwd=archive.parent)
    records = jsonl(result.stdout)
    assert [r["source"]["path"] for r in records] == [
        os.path.join("archive", "2019", "a.html"),
        os.path.join("archive", "2019", "deep", "b.txt"),
        os.path.join("archive", "misc", "binary.html"),
        os.path.join("archive", "misc", "empty.htm"),
        os.path.join("archive", "misc", "notice.shtml"),
        os.path.join("archive", "misc", "photo.html"),
    ]
    assert [r.get("error", {}).get("type") for r in records] == [
        None, None, "BinaryInputError", "EmptyInputError", None, "BinaryInputError"]
    assert result.returncode == 1
    assert "6 inputs: 2 reports, 1 not-report, 3 errors" in result.stderr


def test_glob_and_stdin_list(archive: Path):
    globbed = zq("parse", "archive/**/*.txt", "archive/*/a.html", "--format", "jsonl", cwd=archive.parent)
    assert [r["meta"]["agency"] for r in jsonl(globbed.stdout)] == ["肇庆市民政局", "平潭综合实验区"]

    listing = "archive/2019/deep/b.txt\n\narchive/misc\nmissing.html\n"
    result = zq("parse", "--files-from", "-", "--format", "jsonl", cwd=archive.parent, stdin=listing)
    records = jsonl(result.stdout)
    assert len(records) == 1 + 4 + 1
    assert records[0]["meta"]["year"] == 2018
    assert records[-1]["source"]["path"] == "missing.html"
    assert records[-1]["error"]["type"] == "InputError"
    assert result.returncode == 1


def test_a_name_that_matches_nothing_is_an_error_record_not_silence(tmp_path: Path):
    result = zq("parse", "nothing-*.html", "gone.html", "--format", "jsonl", cwd=tmp_path)
    records = jsonl(result.stdout)
    assert [(r["source"]["path"], r["error"]["type"]) for r in records] == [
        ("nothing-*.html", "InputError"), ("gone.html", "InputError")]
    assert result.returncode == 1


def test_n_inputs_give_exactly_n_records_in_input_order(tmp_path: Path):
    pages = sorted(FIXTURES.glob("*.html")) + [ZHAOQING] + sorted((FIXTURES / "not-reports").glob("*.html"))
    inputs: List[Path] = []
    for copy in range(2):
        for page in pages:
            target = tmp_path / f"c{copy}" / page.name
            target.parent.mkdir(exist_ok=True)
            shutil.copy(page, target)
            inputs.append(target)
    broken = {"corrupt.html": ZHQ_2019.read_bytes()[:3000] + b"\xff\xfe\x00" * 200,
              "empty.html": b"", "blank.txt": b" \n\t\n", "binary.html": os.urandom(4096),
              "zip.html": b"PK\x03\x04" + os.urandom(300)}
    for name, data in broken.items():
        (tmp_path / name).write_bytes(data)
        inputs.insert(len(inputs) // 2, tmp_path / name)
    inputs.append(tmp_path / "does-not-exist.html")
    listing = "".join(f"{p}\n" for p in inputs)

    result = zq("parse", "--files-from", "-", "--format", "jsonl", "--jobs", "2", stdin=listing)
    records = jsonl(result.stdout)
    assert len(inputs) >= 30
    assert len(records) == len(inputs)
    assert [r["source"]["path"] for r in records] == [str(p) for p in inputs]
    by_name = {Path(r["source"]["path"]).name: r for r in records}
    assert by_name["empty.html"]["error"]["type"] == "EmptyInputError"
    assert by_name["zip.html"]["error"]["type"] == "BinaryInputError"
    assert by_name["does-not-exist.html"]["error"]["type"] == "InputError"
    assert by_name["zhaoqing-mzj-2018.txt"]["meta"]["agency"] == "肇庆市民政局"
    errors = sum("error" in r for r in records)
    assert errors >= 5
    assert f"{len(inputs)} inputs" in result.stderr and f"{errors} errors" in result.stderr
    assert result.returncode == 1


def test_jobs_1_and_jobs_2_write_the_same_records(archive: Path):
    one = zq("parse", str(archive), "--format", "jsonl", "--jobs", "1")
    two = zq("parse", str(archive), "--format", "jsonl", "--jobs", "2")
    assert one.stdout == two.stdout and one.stdout


def test_manifest_entries_are_parsed_with_their_url(tmp_path: Path):
    crawl = tmp_path / "crawl"
    (crawl / "pages").mkdir(parents=True)
    shutil.copy(ZHQ_2021, crawl / "pages" / "r2021.html")
    entries = [
        {"url": "http://www.pingtan.gov.cn/r2021.html", "title": "2021年度报告", "path": "pages/r2021.html",
         "status": 200, "encoding": "utf-8", "error": None, "attachments": []},
        {"url": "http://www.pingtan.gov.cn/gone.html", "title": "gone", "path": None, "status": 404,
         "encoding": None, "error": "HTTP 404 Not Found", "attachments": []},
    ]
    (crawl / "manifest.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")

    # the manifest named, given with --manifest (read after the PATHs), and found in its folder
    # (each entry once, however many ways the manifest is named)
    result = zq("parse", "crawl/manifest.jsonl", "crawl", "--manifest", "crawl/manifest.jsonl", "--format", "jsonl",
                cwd=tmp_path)
    assert result.returncode == 1
    everything = jsonl(result.stdout)
    assert len(everything) == 2
    for records in (everything[0:2],):
        assert records[0]["source"]["url"] == entries[0]["url"]
        assert records[0]["source"]["path"] == os.path.join("crawl", "pages", "r2021.html")
        assert (records[0]["meta"]["agency"], records[0]["meta"]["year"]) == ("平潭综合实验区", 2021)
        assert records[1]["source"]["url"] == entries[1]["url"]
        assert records[1]["error"] == {"type": "FetchError", "message": "HTTP 404 Not Found"}


# --------------------------------------------------------------------------- resume

def test_resume_skips_what_the_output_holds_and_parses_the_rest(archive: Path, tmp_path: Path):
    out = tmp_path / "out.jsonl"
    first = zq("parse", str(archive / "2019"), "-o", str(out), "--jobs", "2")
    assert first.returncode == 0
    assert len(jsonl(out.read_text(encoding="utf-8"))) == 2

    # a run killed mid-write leaves half a line: resume cuts it off and goes on
    with open(out, "a", encoding="utf-8") as handle:
        handle.write('{"schema_version": 1, "source": {"pa')
    second = zq("parse", str(archive), "-o", str(out), "--resume", "--jobs", "2")
    records = jsonl(out.read_text(encoding="utf-8"))
    assert len(records) == 6
    assert "2 skipped" in second.stderr and "incomplete last record" in second.stderr

    # a changed file (new sha256) is parsed again; unchanged ones are not
    shutil.copy(ZHQ_2021, archive / "2019" / "a.html")
    third = zq("parse", str(archive), "-o", str(out), "--resume")
    records = jsonl(out.read_text(encoding="utf-8"))
    assert len(records) == 7
    assert records[-1]["source"]["path"] == str(archive / "2019" / "a.html")
    assert records[-1]["meta"]["year"] == 2021
    assert "5 skipped" in third.stderr
    assert third.returncode == 0  # the errors are from earlier runs; nothing failed in this one


def test_resume_of_a_reports_csv(archive: Path, tmp_path: Path):
    out = tmp_path / "index.csv"
    zq("parse", str(archive / "2019"), "-o", str(out), "--csv-kind", "reports")
    zq("parse", str(archive), "-o", str(out), "--csv-kind", "reports", "--resume")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6
    assert len({r["path"] for r in rows}) == 6


@pytest.mark.parametrize("args, message", [
    (["--resume"], "--resume needs -o"),
    (["--resume", "-o", "x.json"], "--resume needs --format jsonl or csv"),
    (["--resume", "-o", "x.csv"], "--csv-kind reports"),
    (["--csv-kind", "figures"], "--csv-kind needs --format csv"),
    (["--jobs", "0"], "--jobs must be at least 1"),
])
def test_bad_option_combinations_are_usage_errors(tmp_path: Path, args, message):
    result = zq("parse", str(ZHAOQING), *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- show and export

def test_show_outlines_a_report():
    result = zq("show", str(ZHQ_2019))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("平潭综合实验区2019年度政府信息公开工作年度报告")
    assert "agency     平潭综合实验区" in out and "year       2019" in out
    assert "二、主动公开政府信息情况  [proactive]" in out
    assert "（一）基本情况" in out
    assert out.index("一、总体情况") < out.index("（一）基本情况") < out.index("二、主动公开政府信息情况")


def test_show_outlines_a_pdf_report_with_the_page_of_each_figure():
    result = zq("show", str(FIXTURES / "pdf" / "huaian-szf-2024.pdf"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("淮安市人民政府2024年政府信息公开工作年度报告")
    assert "read as    pdf" in out
    assert "· 5500余条  市政府网站主动公开各类政府信息  (approx.)  p. 1" in out


def test_show_reports_an_unreadable_file(tmp_path: Path):
    (tmp_path / "empty.html").write_bytes(b"")
    result = zq("show", str(tmp_path / "empty.html"))
    assert result.returncode == 1
    assert "EmptyInputError" in result.stderr


def test_export_turns_jsonl_into_tidy_csv(tmp_path: Path):
    out = tmp_path / "all.jsonl"
    zq("parse", str(ZHQ_2021), str(ZHAOQING), "-o", str(out))
    result = zq("export", str(out), "--csv-kind", "sections")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["agency"] for r in rows} == {"平潭综合实验区", "肇庆市民政局"}
    assert "主动公开政府信息情况" in {r["title"] for r in rows}


def test_show_puts_figures_under_their_section_and_lists_prose_metrics():
    out = zq("show", str(ZHAOQING)).stdout
    proactive = out.index("二、主动公开政府信息情况  [proactive]")
    assert proactive < out.index("· 1740条") < out.index("三、")
    assert "proactive.total = 1740" in out


# --------------------------------------------------------------------------- facts kept once

DOCS = FIXTURES.parent / "docs"


@pytest.mark.parametrize("command", ["fetch", "crawl"])
def test_fetch_options_left_out_keep_the_library_defaults_which_the_help_states(command: str):
    from zqparse import cli, fetcher

    parser = cli.build_parser()
    url = ["http://h.gov.cn/nb/"] if command == "crawl" else ["http://h.gov.cn/a.htm"]
    assert cli._fetch_options(parser.parse_args([command, *url, "-o", "out"])) == {}
    given = parser.parse_args([command, *url, "-o", "out", "--rate", "0", "--retries", "0", "--timeout", "1", "2"])
    assert cli._fetch_options(given) == {"rate": 0.0, "retries": 0, "timeout": (1.0, 2.0)}

    text = " ".join(zq(command, "--help").stdout.split())
    connect, read = fetcher.DEFAULT_TIMEOUT
    assert f"(default {connect:g} {read:g})" in text
    assert f"(default {fetcher.DEFAULT_RATE:g})" in text
    assert f"5xx (default {fetcher.DEFAULT_RETRIES})" in text
    assert f"(default {fetcher.MAX_BYTES >> 20} MiB)" in text


def test_docs_state_the_bulk_run_constants():
    from zqparse import bulk, cli

    suffixes = f"`{' '.join(bulk.PAGE_SUFFIXES)}`"
    guide = " ".join((DOCS / "guide.md").read_text(encoding="utf-8").split())
    reference = " ".join((DOCS / "cli.md").read_text(encoding="utf-8").split())
    assert suffixes in guide
    stated = [suffixes, f"a run of fewer than {bulk.SMALL_RUN} inputs parses in-process",
              f"at most {bulk.WINDOW_PER_JOB} per worker are in flight",
              f"(default {cli.DEFAULT_TIMEOUT:g}; `0` for no limit)"]
    assert [line for line in stated if line not in reference] == []


def test_parse_and_crawl_share_one_manifest_name(tmp_path: Path):
    from zqparse import bulk, crawl, manifest

    assert crawl.MANIFEST_NAME is manifest.MANIFEST_NAME
    entry = manifest.new_entry("http://h.gov.cn/a.htm", "某局2019年政府信息公开工作年度报告")
    manifest.write_manifest(tmp_path, [entry])
    tasks = bulk.expand_inputs([str(tmp_path)])  # a folder with a manifest is read through it
    assert [(t.url, t.error[0] if t.error else None) for t in tasks] == [("http://h.gov.cn/a.htm", "FetchError")]


# --------------------------------------------------------------------------- the first hour (issue 13)

def test_version_and_help_name_every_command_without_markup():
    assert zq("--version").stdout.strip() == f"zqparse {zqparse.__version__}"
    top = zq("--help").stdout
    for command in ("parse", "show", "export", "fetch", "crawl", "schema"):
        assert f"    {command} " in top
    assert "``" not in top and "examples:" in top
    for command in ("parse", "show", "export", "fetch", "crawl"):
        assert "``" not in zq(command, "--help").stdout


def test_show_of_a_folder_or_a_url_says_what_it_is_and_what_to_do():
    folder = zq("show", "fixtures/", cwd=ROOT)
    assert folder.returncode == 1 and "fixtures/ is a folder: show takes report files" in folder.stderr
    url = zq("show", "https://www.example.gov.cn/nb.htm")
    assert url.returncode == 1 and "is a URL: fetch it first" in url.stderr


def test_parse_of_a_url_gives_an_error_record_saying_fetch_it_first():
    result = zq("parse", "https://www.example.gov.cn/nb.htm", "--format", "jsonl")
    (record,) = jsonl(result.stdout)
    assert result.returncode == 1 and record["source"]["path"] == "https://www.example.gov.cn/nb.htm"
    assert "is a URL: fetch it first (zqparse fetch URL -o DIR)" in record["error"]["message"]


def test_a_page_piped_in_is_parsed_and_a_list_of_paths_needs_files_from(tmp_path: Path):
    result = zq("parse", "-", "--format", "jsonl", stdin=ZHAOQING.read_text(encoding="utf-8"))
    (record,) = jsonl(result.stdout)
    assert result.returncode == 0 and record["meta"]["agency"] == "肇庆市民政局" and record["source"]["path"] == "-"
    listed = zq("parse", "--files-from", "-", "--format", "jsonl", stdin=f"{ZHAOQING}\n{ZHQ_2019}\n")
    assert [r["meta"]["year"] for r in jsonl(listed.stdout)] == [2018, 2019]


def test_dash_is_stdout_for_output_and_stdin_for_export(tmp_path: Path):
    one = zq("parse", str(ZHQ_2019), "-o", "-", cwd=tmp_path)
    assert one.returncode == 0 and json.loads(one.stdout)["meta"]["year"] == 2019
    assert not (tmp_path / "-").exists()
    rows = zq("export", "-", "--kind", "sections", stdin=one.stdout).stdout
    assert "主动公开政府信息情况" in rows and rows.startswith("path,agency,year,family,order")


def test_export_reads_the_json_of_one_report_and_refuses_what_is_no_output(tmp_path: Path):
    (tmp_path / "one.json").write_text(zq("parse", str(ZHQ_2019)).stdout, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(zq("export", str(tmp_path / "one.json")).stdout)))
    assert {r["key"]: r["value"] for r in rows}["requests.new.total"] == "23"
    refused = zq("export", str(ZHQ_2019))
    assert refused.returncode == 1 and "not JSON or JSON lines of zqparse records" in refused.stderr


def test_a_folder_without_pages_says_so_and_fails(tmp_path: Path):
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8")
    result = zq("parse", str(tmp_path), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 1
    assert "nothing to parse: no page found" in result.stderr and ".jpg 1" in result.stderr


def test_the_summary_counts_the_files_a_folder_walk_left_out(tmp_path: Path):
    shutil.copy(ZHAOQING, tmp_path / "r.txt")
    for name in ("a.css", "b.css", "logo.jpg"):
        (tmp_path / name).write_bytes(b"x")
    result = zq("parse", str(tmp_path), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0
    assert "skipped 3 files that are no pages: .css 2, .jpg 1" in result.stderr


def test_an_unknown_output_suffix_is_a_usage_error_unless_format_says(tmp_path: Path):
    for name in ("out.xlsx", "out.tsv"):
        result = zq("parse", str(ZHAOQING), "-o", str(tmp_path / name))
        assert result.returncode == 2 and "cannot tell the format" in result.stderr
        assert not (tmp_path / name).exists()
    assert zq("parse", str(ZHAOQING), "-o", str(tmp_path / "out.tsv"), "--format", "jsonl").returncode == 0


def test_kind_is_one_option_on_parse_and_export(tmp_path: Path):
    result = zq("parse", str(ZHAOQING), "--kind", "figures", "-o", str(tmp_path / "f.csv"))
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["raw"] == "1740条"


def test_max_bytes_and_ext_on_the_command_line(tmp_path: Path):
    big = zq("parse", str(ZHQ_2019), "--max-bytes", "1000", "--format", "jsonl")
    assert big.returncode == 1 and jsonl(big.stdout)[0]["error"]["type"] == "InputTooLargeError"
    shutil.copy(ZHAOQING, tmp_path / "page.asp")
    assert zq("parse", str(tmp_path), "--format", "jsonl").returncode == 1  # nothing found without --ext
    found = zq("parse", str(tmp_path), "--ext", ".asp", "--format", "jsonl")
    assert [r["meta"]["agency"] for r in jsonl(found.stdout)] == ["肇庆市民政局"]


def test_schema_prints_the_json_schema():
    schema = json.loads(zq("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/") and "report" in schema["$defs"]


def test_a_folder_of_pages_pdfs_docx_and_office_files_gives_one_record_each(tmp_path: Path):
    """A county's archive as published: pages, PDF and Word reports, old formats; nothing lost."""
    from docgen import image_only_pdf, ole2, report_docx

    folder = tmp_path / "county"
    folder.mkdir()
    shutil.copy(ZHQ_2019, folder / "2019.html")
    shutil.copy(FIXTURES / "pdf" / "huaian-szf-2024.pdf", folder / "2024.pdf")
    (folder / "2021.docx").write_bytes(report_docx(parsed("pingtan-zhq-2021.html")))
    (folder / "2012.doc").write_bytes(ole2("WordDocument"))
    (folder / "scan.pdf").write_bytes(image_only_pdf())
    (folder / "cut.pdf").write_bytes((FIXTURES / "pdf" / "hongze-qzf-2023.pdf").read_bytes()[:5000])
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = zq("parse", str(folder), "--format", "jsonl", "--jobs", "2")
    records = {Path(r["source"]["path"]).name: r for r in jsonl(result.stdout)}
    assert sorted(records) == ["2012.doc", "2019.html", "2021.docx", "2024.pdf", "cut.pdf", "scan.pdf"]
    assert [records[n]["meta"]["year"] for n in ("2019.html", "2021.docx", "2024.pdf")] == [2019, 2021, 2024]
    assert records["2012.doc"]["error"]["type"] == "UnsupportedFormatError"
    assert "LibreOffice" in records["2012.doc"]["error"]["message"]
    assert records["scan.pdf"]["error"]["type"] == "NoTextLayerError"
    assert records["cut.pdf"]["error"]["type"] == "CorruptDocumentError"
    assert result.returncode == 1 and "skipped 1 file that is no page: .png 1" in result.stderr


def test_an_output_without_a_suffix_takes_the_default_format(tmp_path: Path):
    assert zq("parse", str(ZHAOQING), "-o", os.devnull).returncode == 0
    assert zq("parse", str(ZHAOQING), "-o", str(tmp_path / "out")).returncode == 0
    assert json.loads((tmp_path / "out").read_text(encoding="utf-8"))["meta"]["year"] == 2018


def test_parse_no_subjects_leaves_every_subject_empty_and_all_else_the_same():
    normal, bare = (jsonl(zq("parse", "--format", "jsonl", *flag, str(ZHAOQING), str(ZHQ_2019)).stdout)
                    for flag in ([], ["--no-subjects"]))
    assert normal[0]["figures"][0]["subject"] == "主动公开政府信息"
    assert all(f["subject"] is None for record in bare for f in record["figures"])
    assert bare == [dict(r, figures=[dict(f, subject=None) for f in r["figures"]]) for r in normal]


def test_show_no_subjects_prints_figures_without_their_subjects():
    normal, bare = (zq("show", *flag, str(ZHAOQING)) for flag in ([], ["--no-subjects"]))
    assert "· 1740条  主动公开政府信息\n" in normal.stdout
    assert "· 1740条\n" in bare.stdout and bare.returncode == 0
    # the only lines that differ are figures' lines, which lose their subject
    lines, bare_lines = normal.stdout.splitlines(), bare.stdout.splitlines()
    changed = [(line, bare_line) for line, bare_line in zip(lines, bare_lines) if line != bare_line]
    assert len(lines) == len(bare_lines) and len(changed) == 25  # every figure has a subject
    assert all(line.startswith(bare_line + "  ") and bare_line.lstrip().startswith("· ") for line, bare_line in changed)


def test_no_subjects_is_in_the_help_of_parse_and_show():
    for command in ("parse", "show"):
        assert "jieba" in " ".join(zq(command, "--help").stdout.split())
