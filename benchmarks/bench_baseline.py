"""This checkout against another commit, in one run: per-page parse time, trafilatura, start-up.

Run by hand from the project root (never in CI or the tests):

    .venv/bin/python benchmarks/bench_baseline.py --baseline 454a38a [--rounds 15]

The other commit's package is taken with ``git archive`` into a temporary folder. Each
side runs in a worker process of its own (the same Python, ``PYTHONPATH`` pointing at
its package), warmed up on every page first; a third worker times
``trafilatura.extract`` on the same decoded pages when trafilatura is installed
(``pip install '.[bench]'``). The parent asks the workers for one timed parse at a time,
alternating which side goes first, page by page and round by round, so that a slow spell
of a shared machine slows every side alike and the ratios stay fair.

It prints, per page and as the median page: the time of each side, ``this / baseline``
(the goal of issue 14: at most 1.15) and ``trafilatura / this`` on the HTML pages (the goal:
at least 4). By default the package's memos (``functools`` caches) are emptied before every
timed call, on both sides, so that a page is timed as a page never seen before
(``--warm`` keeps them);
then the start-up of ``zqparse parse`` on one small page (the median wall time of whole
command runs, Python's own start included) for both sides.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(ROOT.glob("fixtures/*.html")) + sorted(ROOT.glob("fixtures/*.txt"))
START_UP_PAGE = ROOT / "fixtures" / "zhaoqing-mzj-2018.txt"

#: the worker: reads a page number a line, answers the seconds one call on that page took
WORKER = r"""
import sys, time
paths = sys.argv[2:]
kind = sys.argv[1]
if kind == "trafilatura":
    import trafilatura
    from zqparse.decode import decode
    inputs = [decode(open(p, "rb").read()).text for p in paths]
    call = trafilatura.extract
else:
    import zqparse
    inputs = paths
    call = zqparse.parse
for item in inputs:
    call(item)
caches = []
if kind == "zqparse-cold":  # every memo of the package (functools caches) emptied before each call
    for name, module in list(sys.modules.items()):
        if name.startswith("zqparse"):
            caches += [obj for obj in vars(module).values() if callable(getattr(obj, "cache_clear", None))]
print("ready", flush=True)
for line in sys.stdin:
    item = inputs[int(line)]
    for cache in caches:
        cache.cache_clear()
    start = time.perf_counter()
    call(item)
    print(time.perf_counter() - start, flush=True)
"""


class Worker:
    """A process that times one kind of call on the corpus pages, one page at a time."""

    def __init__(self, kind: str, package_root: Path):
        env = dict(os.environ, PYTHONPATH=str(package_root))
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, kind, *map(str, CORPUS)], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=package_root)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        if self.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the {kind} worker in {package_root} did not start")

    def time(self, page: int) -> float:
        self.stdin.write(f"{page}\n")
        self.stdin.flush()
        return float(self.stdout.readline())

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait()


def export_tree(ref: str, into: Path) -> Path:
    """The package of commit ``ref``, unpacked under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "zqparse"], check=True,
                             capture_output=True).stdout
    tar_path = into / "tree.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into


def per_page(workers: Dict[str, Worker], rounds: int) -> Dict[str, List[float]]:
    """The median seconds of each side on each corpus page."""
    times: Dict[str, List[List[float]]] = {name: [[] for _ in CORPUS] for name in workers}
    names = list(workers)
    for round_number in range(rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for page in range(len(CORPUS)):
            for name in order:
                times[name][page].append(workers[name].time(page))
    return {name: [statistics.median(page) for page in pages] for name, pages in times.items()}


def start_up(package_root: Path, runs: int) -> float:
    """The median wall time of ``zqparse parse`` on one small page, the whole command."""
    env = dict(os.environ, PYTHONPATH=str(package_root))
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "zqparse", "parse", str(START_UP_PAGE), "-o", os.devnull],
                       env=env, check=True, cwd=package_root, capture_output=True)
        took.append(time.perf_counter() - start)
    return statistics.median(took)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare with (e.g. 454a38a)")
    parser.add_argument("--rounds", type=int, default=15, help="timed calls per page and side (median)")
    parser.add_argument("--start-up-runs", type=int, default=7)
    parser.add_argument("--warm", action="store_true",
                        help="keep the package's memos (functools caches) between calls; by default they are "
                             "emptied before each, so a page is timed as if never seen")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        base_root = export_tree(args.baseline, Path(tmp))
        kind = "zqparse" if args.warm else "zqparse-cold"
        workers = {"this": Worker(kind, ROOT), "baseline": Worker(kind, base_root)}
        try:
            workers["trafilatura"] = Worker("trafilatura", ROOT)
        except RuntimeError:
            print("trafilatura not installed: pip install '.[bench]' to compare with it")
        try:
            medians = per_page(workers, args.rounds)
        finally:
            for worker in workers.values():
                worker.close()
        starts = {"this": start_up(ROOT, args.start_up_runs), "baseline": start_up(base_root, args.start_up_runs)}

    traf = "trafilatura" in medians
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"baseline {args.baseline}; median of {args.rounds} interleaved rounds (ms)")
    print(f"{'page':<28}{'this':>8}{'baseline':>10}{'this/base':>11}" + (f"{'trafil.':>9}{'traf/this':>11}" if traf else ""))
    for number, path in enumerate(CORPUS):
        this, base = medians["this"][number], medians["baseline"][number]
        line = f"{path.name:<28}{this * 1e3:>8.1f}{base * 1e3:>10.1f}{this / base:>11.2f}"
        if traf:
            other = medians["trafilatura"][number]
            line += f"{other * 1e3:>9.1f}{other / this:>11.2f}"
        print(line)
    this_med, base_med = statistics.median(medians["this"]), statistics.median(medians["baseline"])
    print(f"\nmedian page: this {this_med * 1e3:.1f} ms, baseline {base_med * 1e3:.1f} ms: "
          f"this/baseline {this_med / base_med:.2f} (median of per-page ratios "
          f"{statistics.median(t / b for t, b in zip(medians['this'], medians['baseline'])):.2f}; goal ≤ 1.15)")
    if traf:  # trafilatura extracts from HTML: the text pages are no comparison
        html = [n for n, path in enumerate(CORPUS) if path.suffix == ".html"]
        traf_med = statistics.median(medians["trafilatura"][n] for n in html)
        this_html = statistics.median(medians["this"][n] for n in html)
        ratios = [medians["trafilatura"][n] / medians["this"][n] for n in html]
        print(f"HTML pages: trafilatura.extract {traf_med * 1e3:.1f} ms, this {this_html * 1e3:.1f} ms: zqparse is "
              f"{traf_med / this_html:.2f}× faster (median of per-page ratios {statistics.median(ratios):.2f}×; goal ≥ 4×)")
    print(f"start-up of `zqparse parse` on one page ({START_UP_PAGE.name}), median of {args.start_up_runs} runs: "
          f"this {starts['this']:.2f} s, baseline {starts['baseline']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
