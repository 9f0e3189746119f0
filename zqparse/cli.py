"""The ``zqparse`` command: parse report pages in bulk, export tidy tables, show one report.

    zqparse parse PATH... [--format json|jsonl|csv|sqlite|parquet] [-o OUT] [--jobs N] [--resume]
    zqparse show FILE...
    zqparse export RECORDS... [--kind KIND] [-o OUT]
    zqparse fetch URL... -o DIR
    zqparse crawl LIST_URL -o DIR
    zqparse schema

Every input gives exactly one record: the report, or an error record
``{"source": {...}, "error": {"type": ..., "message": ...}}``. The exit status is 0
when every input parsed, 1 when any gave an error record, 2 for bad usage, 130 when
interrupted. See docs/cli.md.

Every command is registered here, and each is a thin layer over one library call
(:mod:`zqparse.bulk`, :mod:`zqparse.show`, :mod:`zqparse.export`, :mod:`zqparse.crawl`);
the parser and the network load only when a command that needs them runs.
"""
from __future__ import annotations

import argparse
import dataclasses
import io
import os
import sys
from pathlib import Path
from collections import Counter
from typing import IO, Any, Callable, Dict, Iterable, Mapping, Optional, Sequence, TextIO

from .bulk import PAGE_SUFFIXES, SMALL_RUN, error_record
from .export import DEFAULT_KIND, KINDS
from .manifest import MANIFEST_NAME
from .stores import FORMAT_BY_SUFFIX as STORE_BY_SUFFIX

__all__ = ["main", "build_parser", "error_record"]

#: formats written into a store (zqparse.stores): every kind's table, not one stream of text
STORE_FORMATS = ("sqlite", "parquet")
FORMATS = ("json", "jsonl", "csv") + STORE_FORMATS
#: output formats implied by the suffix of ``-o`` when ``--format`` is not given
FORMAT_BY_SUFFIX = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", **STORE_BY_SUFFIX}
DEFAULT_FORMAT = "json"
#: seconds one input may take in a bulk run before it becomes a ParseTimeoutError record
DEFAULT_TIMEOUT = 600.0
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
BOM = "\ufeff"


class UsageError(Exception):
    """A combination of options that cannot work."""


def _utf8_stdout() -> TextIO:
    if (sys.stdout.encoding or "").lower().replace("_", "-") not in ("utf-8", "utf8"):
        if isinstance(sys.stdout, io.TextIOWrapper):
            try:
                sys.stdout.reconfigure(encoding="utf-8")
            except ValueError:  # a stream that cannot change its encoding any more
                pass
    return sys.stdout


def _output_format(args: argparse.Namespace) -> str:
    """The format asked for, else the one -o's suffix names; an unknown suffix is a usage error."""
    if args.format:
        chosen: str = args.format
        return chosen
    if args.output and args.output != "-":
        suffix = os.path.splitext(args.output)[1].lower()
        if suffix in FORMAT_BY_SUFFIX:
            return FORMAT_BY_SUFFIX[suffix]
        if suffix:  # a name without a suffix (-o /dev/null, -o out) takes the default
            raise UsageError(f"-o {args.output}: cannot tell the format from its suffix "
                             f"({', '.join(sorted(FORMAT_BY_SUFFIX))}); say it with --format")
    return DEFAULT_FORMAT


def _to_stdout(args: argparse.Namespace) -> None:
    """``-o -`` is stdout, as no -o is."""
    if args.output == "-":
        args.output = None


def _check_options(args: argparse.Namespace, fmt: str) -> None:
    if args.csv_kind and fmt != "csv":
        raise UsageError("--csv-kind needs --format csv")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if fmt in STORE_FORMATS and not args.output:
        raise UsageError(f"--format {fmt} needs -o OUT (a {'database file' if fmt == 'sqlite' else 'folder'})")
    if fmt == "parquet" and args.resume:
        raise UsageError("--resume cannot go on with Parquet files: write SQLite (-o x.db) or jsonl to resume")
    if args.output and os.path.isdir(args.output) and fmt != "parquet":
        raise UsageError(f"-o {args.output}: is a folder; give a file name")
    if args.output and not os.path.isdir(os.path.dirname(os.path.abspath(args.output))):
        raise UsageError(f"-o {args.output}: its folder does not exist")
    if args.resume:
        if not args.output:
            raise UsageError("--resume needs -o OUT (the output to resume)")
        if fmt == "json":
            raise UsageError("--resume needs --format jsonl or csv, or sqlite (a json array cannot be appended to)")
        if fmt == "csv" and (args.csv_kind or DEFAULT_KIND) != "reports":
            raise UsageError("--resume with csv needs --csv-kind reports (other kinds do not name every "
                             "input); or parse to jsonl with --resume and convert with 'zqparse export'")


def _cmd_parse(args: argparse.Namespace) -> int:
    from . import bulk, export
    from .progress import make_progress

    try:
        fmt = _output_format(args)
        _to_stdout(args)
        _check_options(args, fmt)
    except UsageError as error:
        return _usage(error)
    kind = args.csv_kind or DEFAULT_KIND
    if not args.inputs and not args.manifest and not args.files_from:
        return _usage(UsageError("give at least one PATH, - (the page on stdin), --files-from FILE or "
                                 "--manifest FILE"))
    if args.inputs.count("-") > 1:
        return _usage(UsageError("- (the page on stdin) can be given once"))
    if "-" in args.inputs and "-" in args.files_from:
        return _usage(UsageError("stdin cannot be both the page (-) and the list of paths (--files-from -)"))
    skipped: Counter[str] = Counter()  # records of web archives that are not inputs, by kind
    ignored: Counter[str] = Counter()  # files folder walks left out, by suffix
    try:
        tasks = bulk.expand_inputs(args.inputs, manifests=args.manifest, stdin=sys.stdin,
                                   exclude=[args.output] if args.output else [], skipped=skipped, ignored=ignored,
                                   files_from=args.files_from, suffixes=args.ext)
    except OSError as error:  # a --files-from list that cannot be read
        return _usage(UsageError(f"--files-from: {error.strerror or error}: {error.filename}"))
    if not tasks:
        print(f"zqparse: nothing to parse: no page found in {' '.join(args.inputs + args.files_from)}"
              + (f" ({_ignored_line(ignored)})" if ignored else ""), file=sys.stderr)
        return EXIT_FAILED
    tasks = [dataclasses.replace(task, timeout=args.timeout if args.timeout and args.timeout > 0 else None,
                                 max_bytes=args.max_bytes, subjects=args.subjects) for task in tasks]
    if fmt in STORE_FORMATS:
        return _parse_into_store(args, fmt, tasks, skipped, ignored)
    done = None
    appending = False
    stream: TextIO
    if args.output:  # opened without truncating, and locked, before anything reads or cuts it
        try:
            stream = open(args.output, "a", encoding="utf-8", newline="")
        except OSError as error:
            return _usage(UsageError(f"-o {args.output}: {error.strerror or error}"))
        if not _lock(stream):
            stream.close()
            return _usage(UsageError(f"{args.output} is being written by another zqparse run"))
    if args.resume and os.path.getsize(args.output) > 0:
        dropped = bulk.repair_tail(args.output)
        if dropped:
            print(f"zqparse: dropped an incomplete last record ({dropped} bytes) from {args.output}",
                  file=sys.stderr)
        if fmt == "csv" and not bulk.first_line(args.output).lstrip(BOM).startswith(
                export.csv_header("reports").strip()):
            stream.close()
            return _usage(UsageError(f"{args.output} is not a CSV of kind reports; cannot resume it"))
        done = bulk.Done(export.output_keys(args.output, fmt))
        appending = True
    render: Callable[[export.Record], str] = (
        {"jsonl": export.render_jsonl, "json": export.render_json}.get(fmt) or export.CsvRender(kind))
    jobs = bulk.choose_jobs(args.jobs, len(tasks))

    if args.output:
        if not appending:
            try:
                stream.truncate(0)
            except OSError:  # a device or a pipe (-o /dev/null): nothing to cut
                pass
    else:
        stream = _utf8_stdout()
    progress = make_progress(len(tasks), enabled=args.progress if args.progress is not None
                             else sys.stderr.isatty())
    summary = bulk.Summary()
    single_json = fmt == "json" and len(tasks) == 1
    tell_errors = fmt == "csv" and kind != "reports"  # the output itself does not show them
    first = True
    try:
        if fmt == "csv" and not appending:
            stream.write((BOM if args.output else "") + export.csv_header(kind))
        elif fmt == "json" and not single_json:
            stream.write("[")
        for outcome in bulk.run(tasks, jobs=jobs, render=render, done=done):
            summary.add(outcome)
            progress.update()
            if outcome.status == "skipped":
                continue
            if fmt == "json" and not single_json:
                stream.write(("\n" if first else ",\n") + str(outcome.output))
            elif fmt == "json":
                stream.write(str(outcome.output) + "\n")
            else:
                stream.write(str(outcome.output))
            first = False
            stream.flush()
            if tell_errors and outcome.status == "error":
                progress.write(f"zqparse: error: {outcome.key}: {outcome.message}")
        if fmt == "json" and not single_json:
            stream.write("\n]\n" if not first else "]\n")
        stream.flush()
    except KeyboardInterrupt:
        progress.close()
        print(summary.line(), file=sys.stderr)
        print("zqparse: interrupted; what was written is complete (rerun with --resume to go on)"
              if args.output and fmt != "json" else "zqparse: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        progress.close()
        if args.output:
            stream.close()
    _print_summary(args, summary, skipped, ignored)
    return EXIT_FAILED if summary.errors else EXIT_OK


def _ignored_line(ignored: Counter[str]) -> str:
    """What folder walks left out: ``skipped 12 files: .jpg 8, .css 4``."""
    counts = ", ".join(f"{suffix} {count}" for suffix, count in ignored.most_common())
    total = sum(ignored.values())
    what = "1 file that is no page" if total == 1 else f"{total} files that are no pages"
    return f"skipped {what}: {counts} (--ext adds a suffix)"


def _print_summary(args: argparse.Namespace, summary: Any, skipped: Counter[str], ignored: Counter[str]) -> None:
    """The run's summary line, what it skipped of web archives and which files it left out,
    on stderr (unless --quiet)."""
    from .warc import skipped_line

    if not args.quiet:
        print(summary.line(), file=sys.stderr)
        if skipped:
            print(f"zqparse: {skipped_line(skipped)}", file=sys.stderr)
        if ignored:
            print(f"zqparse: {_ignored_line(ignored)}", file=sys.stderr)


def _parse_into_store(args: argparse.Namespace, fmt: str, tasks: Sequence[Any], skipped: Counter[str],
                      ignored: Counter[str]) -> int:
    """``zqparse parse … -o reports.db`` or ``-o DIR --format parquet``: every kind's table (zqparse.stores)."""
    import sqlite3

    from . import bulk, stores
    from .progress import make_progress

    try:
        store = stores.open_store(args.output, fmt, resume=args.resume)
    except (ValueError, ImportError, OSError, sqlite3.Error) as error:
        return _usage(UsageError(f"-o {args.output}: {error}"))
    done = bulk.Done(store.done()) if isinstance(store, stores.SqliteStore) and args.resume else None
    progress = make_progress(len(tasks), enabled=args.progress if args.progress is not None
                             else sys.stderr.isatty())
    summary = bulk.Summary()
    try:
        for outcome in bulk.run(tasks, jobs=bulk.choose_jobs(args.jobs, len(tasks)), done=done):
            summary.add(outcome)
            progress.update()
            if outcome.status != "skipped" and isinstance(outcome.output, dict):
                store.add(outcome.output)
    except KeyboardInterrupt:
        progress.close()
        store.close()
        print(summary.line(), file=sys.stderr)
        print("zqparse: interrupted; the records written are complete"
              + (" (rerun with --resume to go on)" if fmt == "sqlite" else ""), file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.close()
    store.close()
    _print_summary(args, summary, skipped, ignored)
    return EXIT_FAILED if summary.errors else EXIT_OK


def _lock(stream: IO[str]) -> bool:
    """Hold an exclusive lock on an output file for the run (POSIX); False when another run holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        return True
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _cmd_show(args: argparse.Namespace) -> int:
    from . import parse
    from .errors import ZqparseError
    from .show import render

    failed = 0
    for number, path in enumerate(args.files):
        if os.path.isdir(path):
            print(f"zqparse: error: {path} is a folder: show takes report files; "
                  f"to parse a folder: zqparse parse {path}", file=sys.stderr)
            failed += 1
            continue
        if path.lower().startswith(("http://", "https://")):
            print(f"zqparse: error: {path} is a URL: fetch it first (zqparse fetch URL -o DIR)", file=sys.stderr)
            failed += 1
            continue
        try:
            report = parse(sys.stdin.buffer.read() if path == "-" else Path(path), url=args.url,
                           encoding=args.encoding, subjects=args.subjects)
        except ZqparseError as error:
            print(f"zqparse: error: {path}: {type(error).__name__}: {error}", file=sys.stderr)
            failed += 1
            continue
        sys.stdout.write(("\n" if number else "") + render(report))
    return EXIT_FAILED if failed else EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from .errors import InputError
    from .export import csv_header, csv_rows, read_records

    kind = args.csv_kind or DEFAULT_KIND
    _to_stdout(args)
    if args.output and not os.path.isdir(os.path.dirname(os.path.abspath(args.output))):
        return _usage(UsageError(f"-o {args.output}: its folder does not exist"))
    header = (BOM if args.output else "") + csv_header(kind)  # written before the first record read
    stream = open(args.output, "w", encoding="utf-8", newline="") if args.output else _utf8_stdout()
    spool = None
    try:
        for path in args.files:
            if path == "-":  # records on stdin, read as a file is: JSON and JSON lines both work
                with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as spool_file:
                    shutil.copyfileobj(sys.stdin.buffer, spool_file)
                spool = path = spool_file.name
            try:
                for record in read_records(path):
                    stream.write(header + csv_rows(record, kind))
                    header = ""
            except InputError as error:
                print(f"zqparse: error: {error}", file=sys.stderr)
                return EXIT_FAILED
    finally:
        if args.output:
            stream.close()
        if spool is not None:
            os.unlink(spool)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .schema import json_schema

    _utf8_stdout().write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _usage(error: Exception) -> int:
    print(f"zqparse: error: {error}", file=sys.stderr)
    return EXIT_USAGE


def _fetch_options(args: argparse.Namespace) -> Dict[str, Any]:
    """The Fetcher options given on the command line; the others keep the library's defaults."""
    given = {"rate": args.rate, "timeout": tuple(args.timeout) if args.timeout else None, "retries": args.retries,
             "max_bytes": args.max_bytes or None, "user_agent": args.user_agent or None,
             "deadline": args.deadline, "proxy": args.proxy, "allow_private": args.allow_private}
    return {name: value for name, value in given.items() if value is not None}


def _print_entries(entries: Iterable[Mapping[str, Any]]) -> None:
    from .export import render_jsonl

    stdout = _utf8_stdout()
    for entry in entries:
        stdout.write(render_jsonl(entry))
    stdout.flush()


def _cmd_fetch(args: argparse.Namespace) -> int:
    """``zqparse fetch URL... -o DIR``: files, cache and a manifest in the crawl's format."""
    from .crawl import fetch_pages

    entries = fetch_pages(args.urls, out_dir=args.out, **_fetch_options(args))
    _print_entries(entries)
    failed = sum(1 for entry in entries if entry["error"])
    sys.stderr.write(f"zqparse fetch: {len(entries)} pages, {failed} with errors; manifest in "
                     f"{Path(args.out) / MANIFEST_NAME}\n")
    return EXIT_FAILED if failed else EXIT_OK


def _cmd_crawl(args: argparse.Namespace) -> int:
    """``zqparse crawl LIST_URL -o DIR``: the manifest on stdout as JSONL, also in DIR."""
    from .crawl import crawl
    from .errors import FetchError

    try:
        entries = crawl(args.list_url, out_dir=args.out, allowed_hosts=args.allowed_hosts,
                        max_pages=args.max_pages, max_reports=args.max_reports,
                        attachments=not args.no_attachments, refresh_lists=args.refresh_lists, warc=args.warc,
                        **_fetch_options(args))
    except FetchError as error:
        sys.stderr.write(f"zqparse crawl: {error}\n")
        return EXIT_FAILED
    _print_entries(entries)
    sys.stderr.write(f"zqparse crawl: {len(entries)} report pages, "
                     f"{sum(1 for entry in entries if entry['error'])} with errors; manifest in "
                     f"{Path(args.out) / MANIFEST_NAME}\n")
    return EXIT_FAILED if any(entry["error"] for entry in entries) else EXIT_OK


def _seconds(text: str) -> float:
    """A positive number of seconds (an option's value)."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text}: not a positive number of seconds")
    return value


def _add_fetch_options(p: argparse.ArgumentParser, out_help: str) -> None:
    """The options ``fetch`` and ``crawl`` share. An option not given is not passed on, so the
    library's defaults (zqparse.fetcher, not loaded here) apply; the help states them, and
    tests/test_cli.py checks it against the library."""
    p.add_argument("-o", "--out", required=True, metavar="DIR", help=out_help)
    p.add_argument("--rate", type=float, default=None,
                   help="minimum seconds between two requests to one host (default 1)")
    p.add_argument("--timeout", type=_seconds, nargs=2, default=None, metavar=("CONNECT", "READ"),
                   help="socket timeouts in seconds: to connect, and for each read (default 10 30)")
    p.add_argument("--deadline", type=_seconds, default=None, metavar="SECONDS",
                   help="wall-clock limit of one request, headers and body (default 60)")
    p.add_argument("--proxy", default=None, metavar="URL",
                   help="proxy for every request (default: HTTP_PROXY/HTTPS_PROXY/NO_PROXY; '' for none)")
    p.add_argument("--allow-private", action="store_true", default=None,
                   help="allow loopback, private and link-local addresses (refused by default)")
    p.add_argument("--retries", type=int, default=None, help="retries after a timeout or a 5xx (default 2)")
    p.add_argument("--max-bytes", type=int, default=None, help="largest body accepted (default 32 MiB)")
    p.add_argument("--user-agent", default=None,
                   help="User-Agent (default names zqparse and its version; add a contact address)")


#: what ``zqparse --help`` says, and its examples
DESCRIPTION = ("Turn Chinese government information-disclosure annual reports (政府信息公开工作年度报告) — "
               "web pages, text, PDF, Word, web archives — into typed, checkable data.")
EXAMPLES = """examples:
  zqparse show report.html                      a readable outline of one report
  zqparse parse archive/ -o reports.jsonl       every report below a folder, one JSON line each
  zqparse parse archive/ -o metrics.csv         a tidy CSV of the canonical metrics
  zqparse parse archive/ -o reports.db          every table into SQLite
  cat page.html | zqparse parse -               a page on stdin
  zqparse export reports.jsonl --kind figures   a saved run as another CSV
  zqparse crawl LIST_URL -o site                a site's reports, politely, with a manifest
  zqparse schema                                the JSON Schema of one output record

Every input gives exactly one record, in input order: the report, or an error record.
Exit status: 0 all parsed, 1 some inputs gave error records, 2 bad usage, 130 interrupted.
More: docs/cli.md."""


#: what --no-subjects leaves out, and what that saves
NO_SUBJECTS_HELP = ("leave every figure's subject (what it counts, e.g. 主动公开政府信息) empty; all else is the "
                    "same. Saves the word segmentation (about a fifth of each parse) and loading jieba and its "
                    "dictionary (about half a second of start-up per process)")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="zqparse", description=DESCRIPTION, epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"zqparse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse reports (files, folders, globs, web archives, manifests) to JSON, "
                                     "CSV, SQLite or Parquet",
                       description="Parse reports. Every input gives one record, in input order; "
                                   "a file that cannot be parsed gives an error record and the run goes on.")
    p.add_argument("inputs", nargs="*", metavar="PATH",
                   help=f"a report file (a page: {' '.join(PAGE_SUFFIXES)}; a PDF or .docx; gzipped too), "
                        f"a folder (every such file below it), a web archive (.warc, .warc.gz, .arc.gz: one "
                        f"input per page it holds), a quoted glob, a crawl {MANIFEST_NAME}, or - for the page "
                        f"on stdin")
    p.add_argument("--files-from", action="append", default=[], metavar="FILE",
                   help="a file listing paths to parse, one a line (- for stdin); repeatable")
    p.add_argument("--ext", action="append", default=[], metavar="SUFFIX",
                   help="one more suffix for folder walks to take, e.g. --ext .asp --ext .jsp; repeatable")
    p.add_argument("--manifest", action="append", default=[], metavar="FILE",
                   help="a crawl manifest (JSON lines: url, path, encoding …) to parse; repeatable")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse an input over N bytes with an InputTooLargeError record (default 32 MiB)")
    p.add_argument("--no-subjects", dest="subjects", action="store_false", help=NO_SUBJECTS_HELP)
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="json: indented (an array unless there is one input); jsonl: one line per input; "
                        "csv: tidy rows (see --csv-kind); sqlite: a database of every kind's table (-o x.db); "
                        "parquet: a folder of one Parquet file per kind (-o DIR). "
                        "Default: from -o's suffix (.db is sqlite), else json")
    p.add_argument("--kind", "--csv-kind", dest="csv_kind", choices=KINDS, default=None,
                   help=f"rows of the csv: {', '.join(KINDS)}; reports has one row per input "
                        f"(default {DEFAULT_KIND})")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="write to OUT (- or none: stdout); its suffix names the format: "
                        + ", ".join(sorted(FORMAT_BY_SUFFIX)))
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help=f"worker processes (default: all cores, or 1 for fewer than {SMALL_RUN} inputs; "
                        f"1 parses in this process)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on one input after SECONDS and write an error record for it "
                        f"(ParseTimeoutError; default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    p.add_argument("--resume", action="store_true",
                   help="append to OUT (jsonl, csv of reports, sqlite), skipping inputs it already holds "
                        "(same path and sha256)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    p.set_defaults(func=_cmd_parse)

    s = sub.add_parser("show", help="print a readable outline of reports",
                       description="Print metadata, the section tree with figures, tables, failed checks "
                                   "and warnings of each FILE.")
    s.add_argument("files", nargs="+", metavar="FILE",
                   help="a report file (a page, text, PDF, .docx), or - for the page on stdin")
    s.add_argument("--url", default=None, help="the page's URL, recorded in the source")
    s.add_argument("--encoding", default=None, help="the page's charset when known from outside (HTTP)")
    s.add_argument("--no-subjects", dest="subjects", action="store_false", help=NO_SUBJECTS_HELP)
    s.set_defaults(func=_cmd_show)

    e = sub.add_parser("export", help="convert saved records (parse's JSON or JSON lines) to a tidy CSV",
                       description="Read records written by 'zqparse parse' (--format jsonl or json) and "
                                   "write one tidy CSV.")
    e.add_argument("files", nargs="+", metavar="RECORDS",
                   help="a .jsonl or .json file of records, or - for records on stdin")
    e.add_argument("--kind", "--csv-kind", dest="csv_kind", choices=KINDS, default=None,
                   help=f"rows to write: {', '.join(KINDS)} (default {DEFAULT_KIND})")
    e.add_argument("-o", "--output", metavar="OUT", help="write to OUT (- or none: stdout)")
    e.set_defaults(func=_cmd_export)

    from .crawl import CACHE_DIR, FILES_DIR, MAX_LIST_PAGES, MAX_REPORTS  # the network loads when it fetches

    out_help = f"output folder: {FILES_DIR}/, {CACHE_DIR}/ and {MANIFEST_NAME}"
    f = sub.add_parser("fetch", help="fetch pages politely into a folder (cached, with a manifest)",
                       description="Fetch each URL politely (robots.txt, a rate per host, a cache) into DIR, "
                                   "with a manifest that 'zqparse parse DIR' reads.")
    f.add_argument("urls", nargs="+", metavar="URL", help="pages to fetch")
    _add_fetch_options(f, out_help)
    f.set_defaults(func=_cmd_fetch)

    c = sub.add_parser("crawl", help="fetch every annual report a list page links to, with a manifest",
                       description="Read a site's list page of annual reports (and its further pages), fetch "
                                   "every report page and its attachments politely into DIR, with a manifest "
                                   "that 'zqparse parse DIR' reads.")
    c.add_argument("list_url", metavar="LIST_URL", help="the site's list page of annual reports")
    c.add_argument("--allow-host", action="append", dest="allowed_hosts", metavar="HOST",
                   help="a host (host, host:port or scheme://host:port) the crawl may visit, internal "
                        "addresses included (repeatable; default: the list page's)")
    c.add_argument("--max-pages", type=int, default=MAX_LIST_PAGES,
                   help=f"list pages to read at most (default {MAX_LIST_PAGES})")
    c.add_argument("--max-reports", type=int, default=MAX_REPORTS,
                   help=f"report pages to fetch at most (default {MAX_REPORTS})")
    c.add_argument("--no-attachments", action="store_true", help="do not download attachments")
    c.add_argument("--refresh-lists", action="store_true",
                   help="fetch the list pages again instead of using the cache")
    c.add_argument("--warc", metavar="FILE", default=None,
                   help="also write every answer as WARC records to FILE (.warc.gz; needs zqparse[warc])")
    _add_fetch_options(c, out_help)
    c.set_defaults(func=_cmd_crawl)

    j = sub.add_parser("schema", help="print the JSON Schema of one output record",
                       description="Print the JSON Schema (draft 2020-12) of one record of 'zqparse parse': "
                                   "a report or an error record.")
    j.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    from .bulk import quiet_libraries

    quiet_libraries()
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
