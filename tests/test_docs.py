"""The docs cannot drift: every example in README.md and docs/ runs here, and its shown output is checked.

How an example is run depends on its fence:

* ```python — a block with ``>>>`` prompts is a doctest (its shown output must match; ``...``
  matches anything); a block without prompts is run as a script. The blocks of one file
  share their names, in order, as a notebook would.
* ```console — each ``$ command`` runs in bash; the lines after it, up to the next ``$``, are
  its output (stdout and stderr), compared line by line with ``...`` matching anything. A
  command ending in ``# exits N`` must exit with N, every other with 0.
* ```sh in README.md — the two commands a newcomer copies. Their install step is what
  ``.ci/run`` does (checked here); the command after it runs here.

Every example runs in a scratch folder holding a link to ``fixtures/``, with the installed
``zqparse`` command first on PATH and ``SITE`` naming a local web server with a list page of
real report pages (for the fetch and crawl examples). A fence info string ``skip="why"`` marks an
example that cannot run here (a real cluster); such examples are listed and counted.
"""
from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, List, NamedTuple, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```([a-z]*)([^\n]*)\n(.*?)^```\s*$", re.M | re.S)
#: links in the docs: [text](target)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
#: fences that are examples; others (json, plain) are shapes shown for reading
RUN = ("python", "console", "sh")
#: most examples that may be skipped (a skipped example is a promise nobody checks)
MAX_SKIPPED = 3


class Example(NamedTuple):
    doc: Path
    line: int
    lang: str
    info: str
    code: str


def examples(doc: Path) -> List[Example]:
    text = doc.read_text(encoding="utf-8")
    return [Example(doc, text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2).strip(), m.group(3))
            for m in FENCE.finditer(text) if m.group(1) in RUN]


ALL = [example for doc in DOCS for example in examples(doc)]


#: the reports the local site's list page links, as (fixture, the link's text)
SITE_REPORTS = (("pingtan-zhq-2021.html", "平潭综合实验区2021年度政府信息公开工作年度报告"),
                ("pingtan-zhq-2019.html", "平潭综合实验区2019年度政府信息公开工作年度报告"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A web server on 127.0.0.1 with a list page of two real report pages, for the fetch and
    crawl examples (``$SITE/list.html``; the pages are ``$SITE/<fixture name>``)."""
    root = tmp_path_factory.mktemp("site")
    links = []
    for name, title in SITE_REPORTS:
        shutil.copy(ROOT / "fixtures" / name, root / name)
        links.append(f'<li><a href="{name}">{title}</a></li>')
    (root / "list.html").write_text(f"<html><body><ul>{''.join(links)}</ul></body></html>", encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture()
def scratch(tmp_path: Path, site: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("SITE", site)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return tmp_path


def _matches(shown: List[str], got: List[str]) -> bool:
    """Do the output lines match the shown ones (``...`` in a shown line matches any text;
    a line that is only ``...`` matches any lines)?"""
    pattern = "\n".join(".*" if line.strip() == "..." else ".*".join(re.escape(p) for p in line.split("..."))
                        for line in shown)
    return re.fullmatch(pattern, "\n".join(got), re.S) is not None


def _console(example: Example) -> List[Tuple[str, List[str], int]]:
    """(command, shown output lines, expected exit status) of each ``$`` line of a console block."""
    runs: List[Tuple[str, List[str], int]] = []
    for line in example.code.splitlines():
        if line.startswith("$ "):
            command = line[2:]
            status = 0
            exits = re.search(r"\s+#\s*exits (\d+)\s*$", command)
            if exits:
                status, command = int(exits.group(1)), command[:exits.start()]
            runs.append((command, [], status))
        elif runs:
            runs[-1][1].append(line)
    return runs


def _run(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("example", [e for e in ALL if e.lang == "console" and "skip=" not in e.info],
                         ids=lambda e: f"{e.doc.name}:{e.line}")
def test_console_example(example: Example, scratch: Path) -> None:
    for command, shown, status in _console(example):
        result = _run(command)
        got = (result.stdout + result.stderr).rstrip("\n").splitlines()
        assert result.returncode == status, f"$ {command}\n{result.stdout}{result.stderr}"
        if shown:
            assert _matches([line.rstrip() for line in shown], [line.rstrip() for line in got]), (
                f"$ {command}\n--- shown\n" + "\n".join(shown) + "\n--- got\n" + "\n".join(got))


@pytest.mark.parametrize("doc", sorted({e.doc for e in ALL if e.lang == "python"}), ids=lambda d: d.name)
def test_python_examples(doc: Path, scratch: Path) -> None:
    """The python blocks of one document, in order, sharing their names."""
    names: dict = {"__name__": "__docs__"}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for example in (e for e in examples(doc) if e.lang == "python" and "skip=" not in e.info):
        where = f"{doc.name}:{example.line}"
        if ">>>" in example.code:
            test = doctest.DocTestParser().get_doctest(example.code, names, where, str(doc), example.line)
            result = runner.run(test, clear_globs=False)
            names.update(test.globs)  # a DocTest works on a copy of the names it is given
            assert result.failed == 0, f"{where}: {result.failed} of {result.attempted} examples failed (see above)"
        else:
            exec(compile(example.code, where, "exec"), names)  # noqa: S102 - the docs' own example code


def test_readme_commands_are_what_ci_runs_and_they_work(scratch: Path) -> None:
    """The README's two commands: install-and-parse, and install-tests-and-run-them (.ci/run's)."""
    blocks = [e.code.strip() for e in examples(ROOT / "README.md") if e.lang == "sh"]
    first, tests = blocks[0], blocks[1]
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install, _, command = first.rpartition("&& ")
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install .") and command.startswith(".venv/bin/")
    result = _run(command.replace(".venv/bin/", "", 1))
    assert result.returncode == 0, result.stderr
    assert "Sections" in result.stdout and "Tables" in result.stdout


def test_few_examples_are_skipped_and_each_says_why() -> None:
    skipped = [e for e in ALL if "skip=" in e.info]
    assert all(re.search(r'skip="[^"]{10,}"', e.info) for e in skipped)
    assert len(skipped) <= MAX_SKIPPED, [f"{e.doc.name}:{e.line}" for e in skipped]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_docs_link_only_files_in_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"^(https?|mailto):", target) or target.startswith("#"):
            continue
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT) and path.exists(), f"{doc.name} links {target}"
