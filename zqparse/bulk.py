"""Bulk parsing: many inputs in, exactly one record per input out, in input order.

An *input* is one page file to parse, or one entry of a crawl manifest. What the
command line names expands to inputs as follows (see docs/cli.md):

* a file is one input, whatever its name (a crawl's manifest, :data:`~zqparse.manifest.MANIFEST_NAME`,
  is read as a manifest);
* a folder is every file below it with a suffix of :data:`FOLDER_SUFFIXES` — pages, PDF and
  Word documents, gzipped pages, web archives, and the office formats that give an error
  record saying what to do — hidden names skipped, in sorted order; every other file is
  counted by its suffix in ``ignored``; a folder holding a manifest is read through it;
* a web archive (.warc, .warc.gz, .arc, .arc.gz) is one input per page-bearing response
  record (:mod:`zqparse.warc`; the others are counted in ``skipped``);
* a pattern with ``* ? [`` that names no existing file is a glob (``**`` recurses);
* ``-`` is the page on stdin; ``files_from`` names files (``-``: stdin) of paths, one a line,
  each expanded like a name.

A name that matches nothing, or a URL, is still an input: it gives an error record. A file
is one input however many names reach it (overlapping globs, a folder and a file in it).

The progress display of a run is :mod:`zqparse.progress`; the manifest's name and shape
are :mod:`zqparse.manifest`'s, shared with the crawl that writes it.
"""
from __future__ import annotations

import dataclasses
import glob
import hashlib
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import (TYPE_CHECKING, Any, Callable, Deque, Iterable, Iterator, List, Optional, Sequence, Set, TextIO,
                    Tuple, TypedDict, Union)

from . import warc
from .manifest import MANIFEST_NAME
from .model import Failure

if TYPE_CHECKING:  # annotations only: the pool modules load when a run starts workers (_pool)
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    from .model import Report

    from .export import Record

__all__ = [
    "PAGE_SUFFIXES", "DOCUMENT_SUFFIXES", "REFUSED_SUFFIXES", "ARCHIVE_SUFFIXES", "FOLDER_SUFFIXES", "Task", "Outcome", "Summary",
    "expand_inputs", "read_manifest", "error_record", "run", "run_task", "parse_many",
    "Done", "choose_jobs", "repair_tail", "first_line", "default_jobs", "quiet_libraries",
]

#: file suffixes of pages a folder contributes (case-insensitive); a file named explicitly always counts
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".shtm", ".xhtml", ".txt", ".text")
#: documents a folder contributes: parsed like pages (PDF, Word .docx)
DOCUMENT_SUFFIXES = (".pdf", ".docx")
#: office formats and archives a folder contributes so that each gives an error record naming its
#: format and what to do (old Word, WPS, Excel, OFD, zip and rar archives), never a silent gap
REFUSED_SUFFIXES = (".doc", ".wps", ".xls", ".xlsx", ".et", ".ofd", ".zip", ".rar", ".7z")
#: what else a folder contributes: gzipped pages (page.html.gz) and web archives (warc.WARC_SUFFIXES)
ARCHIVE_SUFFIXES = tuple(suffix + ".gz" for suffix in PAGE_SUFFIXES) + warc.WARC_SUFFIXES
#: every suffix a folder walk takes
FOLDER_SUFFIXES = PAGE_SUFFIXES + DOCUMENT_SUFFIXES + REFUSED_SUFFIXES + ARCHIVE_SUFFIXES
#: a name that is a URL: fetched first, never parsed as a file
URL_PREFIXES = ("http://", "https://")
GLOB_CHARS = frozenset("*?[")
#: tasks in flight per worker process: enough to keep workers busy, small enough to stream
WINDOW_PER_JOB = 4
#: runs of fewer inputs parse in this process unless --jobs asks otherwise (workers cost ~10 parses to start)
SMALL_RUN = 8
#: the error type of a record whose worker process died (a crash inside a C extension)
WORKER_CRASH = "WorkerCrashError"
#: a tiny report parsed once before workers fork, to load what the parser loads lazily
WARM_UP_PAGE = ("<html><body><p>某局2019年政府信息公开工作年度报告</p><p>一、总体情况</p>"
                "<p>本年度主动公开政府信息100条，受理申请5件。</p></body></html>")
#: loggers of libraries whose messages a bulk run keeps off stderr
QUIET_LOGGERS = ("bs4",)


@dataclass(frozen=True, slots=True)
class Task:
    """One input: a file to parse (with what its crawl knew), or an error known beforehand."""

    path: Optional[str]
    url: Optional[str] = None
    encoding: Optional[str] = None
    error: Optional[Tuple[str, str]] = None  # (type, message): no parse, an error record
    timeout: Optional[float] = None  # seconds parsing may take before it gives a ParseTimeoutError record
    data: Optional[bytes] = None  # the page itself (read from stdin), parsed instead of a file
    max_bytes: Optional[int] = None  # a larger input is an InputTooLargeError record (default: parse's)
    subjects: bool = True  # find what each figure counts (False: every subject None, and jieba never loaded)
    #: a crawled page's saved attachments, (path, url) each: read when the page is a stub (详见附件)
    attachments: Tuple[Tuple[str, Optional[str]], ...] = ()

    @property
    def key(self) -> Optional[str]:
        """What identifies the input in an output file: its path, else its url."""
        return self.path if self.path is not None else self.url


#: a function of a record run in the worker (picklable): what an Outcome's output is made of
Render = Callable[["Record"], object]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one task: its status, identity and rendered output."""

    status: str  # "report" | "not_report" | "error" | "skipped"
    key: Optional[str]
    sha256: Optional[str]
    output: object  # what the render function made of the record (the record itself without one)
    message: Optional[str] = None  # "Type: message" for an error


# --------------------------------------------------------------------------- inputs

def _norm(path: str) -> str:
    return str(Path(path))


def expand_inputs(names: Iterable[str], *, manifests: Sequence[str] = (), stdin: Optional[TextIO] = None,
                  exclude: Sequence[str] = (), skipped: Optional[Counter[str]] = None,
                  ignored: Optional[Counter[str]] = None, files_from: Sequence[str] = (),
                  suffixes: Sequence[str] = ()) -> List[Task]:
    """The inputs that ``names`` (files, folders, globs, URLs, ``-``), the lists of paths in
    ``files_from`` and ``manifests`` stand for, in order, each file once.

    ``exclude`` lists files never to take as inputs (the output file); ``skipped`` counts the
    records of web archives that are not inputs, by kind (:data:`zqparse.warc.SKIP_KINDS`);
    ``ignored`` counts the files folder walks leave out, by suffix; ``suffixes`` are more
    suffixes for folder walks to take (a mirror's ``.asp``, ``.jsp``, ``.php`` pages).
    """
    extra = tuple(s.lower() if s.startswith(".") else f".{s.lower()}" for s in suffixes)
    walk = _Walk({os.path.realpath(p) for p in exclude}, skipped if skipped is not None else Counter(),
                 ignored if ignored is not None else Counter(), FOLDER_SUFFIXES + extra)
    tasks: List[Task] = []
    for name in names:
        if name == "-":
            tasks.append(Task(path="-", data=_stdin_bytes(stdin)))
        else:
            tasks.extend(walk.expand(name, allow_glob=True))
    for listing in files_from:
        for line in _lines(listing, stdin):
            tasks.extend(walk.expand(line, allow_glob=False))
    for manifest in manifests:
        tasks.extend(read_manifest(manifest))
    return _once(tasks)


def _stdin_bytes(stdin: Optional[TextIO]) -> bytes:
    """The page on stdin, as bytes (its encoding is found as a file's is)."""
    stream: Any = stdin if stdin is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    data = buffer.read() if buffer is not None else stream.read()
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def _lines(listing: str, stdin: Optional[TextIO]) -> List[str]:
    """The paths a ``--files-from`` file (``-``: stdin) lists, one a line, blank lines skipped."""
    if listing == "-":
        text = (stdin if stdin is not None else sys.stdin).read()
    else:
        with open(listing, encoding="utf-8") as handle:
            text = handle.read()
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


class _Walk:
    """Expands names to tasks, counting the web-archive records it skips and the files it leaves out."""

    def __init__(self, exclude: Set[str], skipped: Counter[str], ignored: Counter[str],
                 suffixes: Tuple[str, ...]) -> None:
        self.exclude, self.skipped, self.ignored, self.suffixes = exclude, skipped, ignored, suffixes

    def expand(self, name: str, *, allow_glob: bool) -> List[Task]:
        if name.lower().startswith(URL_PREFIXES):
            return [Task(path=name, error=("InputError", f"{name} is a URL: fetch it first "
                                                         "(zqparse fetch URL -o DIR), then parse DIR"))]
        if os.path.isdir(name):
            return self.folder(name)
        if os.path.isfile(name):
            return _file(name, self.skipped)
        if allow_glob and GLOB_CHARS & set(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                return [Task(path=_norm(name), error=("InputError", f"no file matches {name!r}"))]
            tasks: List[Task] = []
            for match in matches:
                if os.path.isdir(match):
                    tasks.extend(self.folder(match))
                elif os.path.realpath(match) not in self.exclude:
                    tasks.extend(_file(match, self.skipped))
            return tasks
        return [Task(path=_norm(name))]  # missing: parse says so in an error record

    def folder(self, folder: str) -> List[Task]:
        tasks: List[Task] = []
        for root, dirs, files in os.walk(folder):
            if MANIFEST_NAME in files:
                tasks.extend(read_manifest(os.path.join(root, MANIFEST_NAME)))
                dirs[:] = []
                continue
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                if not name.lower().endswith(self.suffixes):
                    self.ignored[os.path.splitext(name)[1].lower() or "(no suffix)"] += 1
                    continue
                path = os.path.join(root, name)
                if os.path.realpath(path) not in self.exclude:
                    tasks.extend(_file(path, self.skipped) if warc.is_warc(name) else [Task(path=_norm(path))])
        return tasks


def _once(tasks: List[Task]) -> List[Task]:
    """The tasks with each input taken once, the first time a name reaches it: a file by its
    real path, anything else (a missing name, a manifest entry, an archive's record) by path and URL."""
    seen: Set[Tuple[Optional[str], Optional[str]]] = set()
    kept: List[Task] = []
    for task in tasks:
        if task.data is None:
            real = task.path is not None and task.error is None and os.path.isfile(task.path)
            key = (os.path.realpath(task.path), None) if real and task.path else (task.path, task.url)
            if key in seen:
                continue
            seen.add(key)
        kept.append(task)
    return kept


def _file(path: str, skipped: Counter[str]) -> List[Task]:
    if os.path.basename(path) == MANIFEST_NAME:
        return read_manifest(path)
    if warc.is_warc(path):
        return _warc_members(path, skipped)
    return [Task(path=_norm(path))]


def _warc_members(path: str, skipped: Counter[str]) -> List[Task]:
    """One task per member of a web archive (its location as path); an archive that cannot be read
    on gives an error task after the members found before."""
    tasks: List[Task] = []
    try:
        for member in warc.scan(_norm(path), skipped):
            tasks.append(Task(path=member.location, url=member.url, encoding=member.encoding))
    except Exception as error:  # warcio missing, a file cut short or not a WARC: an error record, not a crash
        tasks.append(Task(path=_norm(path), error=("InputError", f"cannot read the web archive: {error}")))
    return tasks


def read_manifest(manifest: str) -> List[Task]:
    """One task per line of a crawl manifest, in order.

    Each line is a :class:`~zqparse.manifest.ManifestEntry`; its ``path`` is relative to
    the manifest's folder. An entry without a path, a path that leaves the manifest's
    folder, or a line that is not a JSON object gives an error task.
    """
    base = os.path.dirname(manifest)
    where = _norm(manifest)
    try:
        with open(manifest, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        return [Task(path=where, error=("InputError", f"cannot read manifest: {error}"))]
    tasks: List[Task] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        problem: Optional[str]
        try:
            entry = json.loads(line)
        except ValueError as error:
            problem = f"manifest line {number} is not JSON: {error}"
        else:
            problem = None if isinstance(entry, dict) else f"manifest line {number} is not a JSON object"
        if problem is not None:
            tasks.append(Task(path=f"{where}:{number}", error=("ManifestError", problem)))
            continue
        url = entry.get("url") if isinstance(entry.get("url"), str) else None
        encoding = entry.get("encoding") if isinstance(entry.get("encoding"), str) else None
        rel = entry.get("path")
        if not isinstance(rel, str) or not rel:
            message = entry.get("error") or f"not fetched (status {entry.get('status')})"
            tasks.append(Task(path=None, url=url, error=("FetchError", str(message))))
            continue
        path = os.path.join(base, rel)
        inside = os.path.realpath(base or ".")
        if os.path.isabs(rel) or not os.path.realpath(path).startswith(inside + os.sep):
            tasks.append(Task(path=_norm(path), url=url,
                              error=("ManifestError", f"manifest path {rel!r} leaves the manifest's folder")))
            continue
        tasks.append(Task(path=_norm(path), url=url, encoding=encoding,
                          attachments=_attachments(entry.get("attachments"), base, inside)))
    return tasks


def _attachments(listed: Any, base: str, inside: str) -> Tuple[Tuple[str, Optional[str]], ...]:
    """The saved attachments of a manifest entry inside the manifest's folder, as (path, url)."""
    found: List[Tuple[str, Optional[str]]] = []
    for attachment in listed if isinstance(listed, list) else ():
        rel = attachment.get("path") if isinstance(attachment, dict) else None
        if not isinstance(rel, str) or not rel or os.path.isabs(rel):
            continue
        path = os.path.join(base, rel)
        if os.path.realpath(path).startswith(inside + os.sep):
            url = attachment.get("url")
            found.append((_norm(path), url if isinstance(url, str) else None))
    return tuple(found)


# --------------------------------------------------------------------------- one task

def error_record(path: Optional[str], error: BaseException, *, url: Optional[str] = None,
                 sha256: Optional[str] = None) -> Record:
    """The record a failed input gives in bulk output."""
    return Failure(path, url, sha256, type(error).__name__, str(error)).to_dict()


class _KnownError(Exception):
    """An error found before parsing (a manifest entry that was never fetched), under its own type name."""


def _sha256_of(path: Optional[str]) -> Optional[str]:
    """The sha256 the record of ``path`` carries: of the file, or of a WARC member's or a gzipped page's content."""
    if path is None:
        return None
    inside = warc.input_sha256(path)
    if inside is not None:
        return inside
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _record(task: Task) -> Record:
    if task.error is not None or task.path is None:
        kind, message = task.error or ("InputError", "no path to parse")
        record = error_record(task.path, _KnownError(message), url=task.url)
        record["error"]["type"] = kind
        return record
    from .pipeline import parse

    try:
        with _deadline(task.timeout):
            if task.data is not None:  # the page on stdin: its record names it "-"
                record = parse(task.data, url=task.url, encoding=task.encoding, **_options(task)).to_dict()
                record["source"]["path"] = task.path
                return record
            if warc.is_location(task.path):  # a record of a web archive, read at its offset
                return warc.parse_member(task.path, max_bytes=task.max_bytes, subjects=task.subjects).to_dict()
            report = parse(Path(task.path), url=task.url, encoding=task.encoding, **_options(task))
            if task.attachments and not holds_report(report):
                return _from_attachment(task, report).to_dict()
            return report.to_dict()
    except Exception as error:  # every failure is a record; the run goes on
        sha = hashlib.sha256(task.data).hexdigest() if task.data is not None else _sha256_of(task.path)
        return error_record(task.path, error, url=task.url, sha256=sha)


#: a page holds its report when it is one with at least this many sections, or any template table
MIN_REPORT_SECTIONS = 2


def holds_report(report: "Report") -> bool:
    """Does a page hold its report itself, rather than being a stub that links it (详见附件)?"""
    return report.meta.is_report and (len(report.sections) >= MIN_REPORT_SECTIONS or bool(report.tables))


def _from_attachment(task: Task, page: "Report") -> "Report":
    """The report of a stub page: the first of its attachments that holds one, with the page's URL,
    and its title and date where the attachment has none, and a warning naming both; the page's
    own report (with a warning) when no attachment holds one."""
    from .errors import ZqparseError
    from .pipeline import parse

    tried: List[str] = []
    for path, url in task.attachments:
        try:
            found = parse(Path(path), url=task.url, encoding=None, **_options(task))
        except ZqparseError as error:
            tried.append(f"{url or path}: {type(error).__name__}: {error}")
            continue
        if not holds_report(found):
            tried.append(f"{url or path}: no report in it")
            continue
        meta = dataclasses.replace(found.meta, title=found.meta.title or page.meta.title,
                                   published=found.meta.published or page.meta.published)
        note = (f"the report is the attachment {url or path} of the page {task.url or task.path}, "
                f"which only links it")
        return dataclasses.replace(found, meta=meta, warnings=(note,) + found.warnings)
    note = "no attachment of this stub page holds its report: " + "; ".join(tried)
    return dataclasses.replace(page, warnings=page.warnings + (note,))


class ParseOptions(TypedDict, total=False):
    """The keyword arguments of :func:`~zqparse.pipeline.parse` a task sets."""

    max_bytes: int
    subjects: bool


def _options(task: Task) -> ParseOptions:
    """The parse options of a task: whether it wants subjects, and its size cap when it has its own."""
    options: ParseOptions = {"subjects": task.subjects}
    if task.max_bytes is not None:
        options["max_bytes"] = task.max_bytes
    return options


@contextmanager
def _deadline(seconds: Optional[float]) -> Iterator[None]:
    """Raise ParseTimeoutError in this block after ``seconds`` (POSIX main thread; elsewhere no limit)."""
    import signal

    if (not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    limit = seconds

    def expire(signum: int, frame: Optional[FrameType]) -> None:
        from .errors import ParseTimeoutError

        raise ParseTimeoutError(f"parsing took longer than {limit:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_task(task: Task, render: Optional[Render] = None) -> Outcome:
    """Parse one task and render its record (in a worker process, or in this one)."""
    record = _record(task)
    if "error" in record:
        status = "error"
        message = f"{record['error']['type']}: {record['error']['message']}"
    else:
        status = "report" if record["meta"]["is_report"] else "not_report"
        message = None
    sha = record["source"].get("sha256")
    try:
        output = render(record) if render is not None else record
    except Exception as error:  # a bug in rendering must not lose the input either
        record = error_record(task.path, error, url=task.url, sha256=sha)
        status, message = "error", f"{type(error).__name__}: {error}"
        output = render(record) if render is not None else record
    return Outcome(status, task.key, sha, output, message)


# --------------------------------------------------------------------------- many tasks

#: a task in flight: its future in a worker pool, or the skipped outcome it already has
Pending = Union["Future[Outcome]", Outcome]

def choose_jobs(requested: Optional[int], inputs: int) -> int:
    """Worker processes for a run: as requested (at most one per input); by default all cores,
    except for a run too small to repay starting them."""
    if requested:
        return max(1, min(requested, inputs))
    return 1 if inputs < SMALL_RUN else min(default_jobs(), inputs)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Done:
    """What an output file already holds: a count of (key, sha256) pairs, for resuming."""

    def __init__(self, pairs: Iterable[Tuple[Optional[str], Optional[str]]] = ()) -> None:
        self.counts: Counter[Tuple[Optional[str], Optional[str]]] = Counter(pairs)
        self.keys = {key for key, _ in self.counts}

    def __len__(self) -> int:
        return sum(self.counts.values())

    def take(self, task: Task) -> Optional[Outcome]:
        """A skipped outcome when ``task``'s file, unchanged, already has a record (used up once)."""
        if task.key not in self.keys:
            return None
        sha = None if task.error else _sha256_of(task.path)
        if self.counts[(task.key, sha)] <= 0:
            return None
        self.counts[(task.key, sha)] -= 1
        return Outcome("skipped", task.key, sha, None)


def run(tasks: Iterable[Task], *, jobs: int = 1, render: Optional[Render] = None,
        done: Optional[Done] = None) -> Iterator[Outcome]:
    """One :class:`Outcome` per task, in task order.

    ``jobs`` > 1 parses in that many worker processes; ``render`` (a picklable function of a
    record) runs in the worker. A task whose unchanged file already has a record in ``done``
    is skipped, not parsed again.
    """
    todo = ((task, done.take(task) if done else None) for task in tasks)
    if jobs <= 1:
        for task, skipped in todo:
            yield skipped if skipped is not None else run_task(task, render)
        return
    yield from _run_pool(todo, jobs, render)


def _pool(jobs: int, subjects: bool) -> ProcessPoolExecutor:
    """A pool of ``jobs`` workers, warmed up (with jieba when ``subjects``) before a fork."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context: BaseContext
    if "fork" in methods and threading.active_count() == 1:
        # fast, and no re-import of the caller's main script; unsafe only with threads about
        _warm_up(subjects)  # load once here and share with every worker
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["zqparse.pipeline", "zqparse.export", "zqparse.bulk"])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init)


def _warm_up(subjects: bool) -> None:
    """Parse a tiny page once, so that lazily loaded parts (lxml; jieba's dictionary when ``subjects``)
    are loaded; a run without subjects does not load jieba."""
    global _WARM
    if _WARM is None or (subjects and not _WARM):
        from . import export  # noqa: F401
        from .pipeline import parse

        try:
            parse(WARM_UP_PAGE, subjects=subjects)
        except Exception:  # a warm-up that fails costs nothing but time
            pass
        _WARM = subjects


#: None before any warm-up; then whether it loaded what subjects need
_WARM: Optional[bool] = None


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    quiet_libraries()


def quiet_libraries() -> None:
    """Keep libraries' log chatter (bs4's decoding notes) off stderr; reports carry it as warnings."""
    import logging

    for name in QUIET_LOGGERS:
        logging.getLogger(name).addHandler(logging.NullHandler())


def _run_pool(todo: Iterator[Tuple[Task, Optional[Outcome]]], jobs: int,
              render: Optional[Render]) -> Iterator[Outcome]:
    from concurrent.futures.process import BrokenProcessPool

    first = next(todo, None)
    if first is None:
        return
    subjects = first[0].subjects  # the pool is warmed up for what the first task asks
    todo = itertools.chain([first], todo)
    pool = _pool(jobs, subjects)
    window: Deque[Tuple[Task, Pending]] = deque()  # (task, future or skipped Outcome), in input order
    try:
        while True:
            for task, skipped in todo:
                window.append((task, skipped if skipped is not None else pool.submit(run_task, task, render)))
                if len(window) >= jobs * WINDOW_PER_JOB:
                    break
            if not window:
                return
            task, pending = window.popleft()
            if isinstance(pending, Outcome):
                yield pending
                continue
            try:
                yield pending.result()
            except BrokenProcessPool:
                # a worker died and which task killed it is unknown: run this one alone,
                # then resubmit every other unfinished one to a fresh pool
                pool.shutdown(wait=False, cancel_futures=True)
                yield _alone(task, render)
                pool = _pool(jobs, subjects)
                window = deque((t, p if _settled(p) else pool.submit(run_task, t, render)) for t, p in window)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _settled(pending: Pending) -> bool:
    return isinstance(pending, Outcome) or (pending.done() and pending.exception() is None)


def _alone(task: Task, render: Optional[Render]) -> Outcome:
    """The task run in a fresh single-worker pool; a crash there is the task's own error."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(1, task.subjects)
    try:
        return pool.submit(run_task, task, render).result()
    except BrokenProcessPool:
        crash = _KnownError("the worker process died while parsing this input")
        return run_task(Task(path=task.path, url=task.url, error=(WORKER_CRASH, str(crash))), render)
    finally:
        pool.shutdown(wait=True)


def parse_many(names: Union[str, os.PathLike[str], Iterable[Union[str, os.PathLike[str]]]], *,
               jobs: Optional[int] = None, subjects: bool = True) -> Iterator[Record]:
    """Records (``Report.to_dict()`` dicts, or error records) for files, folders, globs and manifests, in order.

    ``jobs`` worker processes (default: all cores; 1 parses in this process). Every input
    gives one record; a file that fails gives ``{"source": …, "error": {"type", "message"}}``.
    ``subjects=False`` parses as :func:`~zqparse.pipeline.parse` does with it: no figure subjects,
    and jieba is not loaded.
    """
    if isinstance(names, (str, os.PathLike)):
        names = [names]
    tasks = [dataclasses.replace(task, subjects=subjects) for task in expand_inputs([os.fspath(name) for name in names])]
    for outcome in run(tasks, jobs=choose_jobs(jobs, len(tasks))):
        assert isinstance(outcome.output, dict)  # without a render function the output is the record
        yield outcome.output


def repair_tail(path: str) -> int:
    """Cut an output file back to its last complete line (a run killed mid-write); the bytes dropped."""
    with open(path, "rb+") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        keep = size
        while keep > 0:
            step = min(1 << 16, keep)
            handle.seek(keep - step)
            block = handle.read(step)
            cut = block.rfind(b"\n")
            if cut >= 0:
                keep = keep - step + cut + 1
                break
            keep -= step
        if keep < size:
            handle.truncate(keep)
        return size - keep


def first_line(path: str) -> str:
    """The first line of a text file (for checking a CSV header)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.readline()


# --------------------------------------------------------------------------- summary

class Summary:
    """Counts of a run's outcomes and its rate: the last line a run prints."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.started = time.perf_counter()

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1

    @property
    def errors(self) -> int:
        return self.counts["error"]

    def line(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        parsed = sum(n for status, n in self.counts.items() if status != "skipped")
        total = parsed + self.counts["skipped"]
        line = (f"zqparse: {_n(total, 'input')}: {_n(self.counts['report'], 'report')}, "
                f"{_n(self.counts['not_report'], 'not-report')}, {_n(self.counts['error'], 'error')}")
        if self.counts["skipped"]:
            line += f", {self.counts['skipped']} skipped (already in output)"
        return line + f" in {elapsed:.1f} s, {parsed / elapsed:.1f} pages/s"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
