"""Archive scale: the local ``--jobs`` path against the Dask path, on 10³ and 10⁴ inputs; run by hand.

    .venv/bin/python benchmarks/bench_archive.py [--sizes 1000 10000] [--workers 1 2]

The inputs are copies of the fixture pages (fixtures/*.html, *.txt) with, every
:data:`EVERY`-th input, a broken file (binary bytes named .html) and a PDF
(fixtures/pdf/huaian-szf-2024.pdf). Each configuration runs in a fresh process and reports:

* throughput (inputs per second, wall time, start-up included);
* the peak RSS of the parent process (the CLI, or the Dask client) and of the largest
  worker process: it must not grow from 10³ to 10⁴ inputs;
* the same for 1 and 2 workers (``--jobs N``, or a ``LocalCluster`` of N worker processes);
* the control: a pure-Python loop in 2 processes against 1 (what the machine offers now).

Both paths write the metrics table: the CLI as CSV (``--csv-kind metrics``), Dask as Parquet
files written by the workers (``.to_parquet``); the row counts must be equal.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_parse import cpu_control  # noqa: E402  (the same control as bench_parse)

CORPUS = sorted(ROOT.glob("fixtures/*.html")) + sorted(ROOT.glob("fixtures/*.txt"))
PDF = ROOT / "fixtures" / "pdf" / "huaian-szf-2024.pdf"
#: one broken file and one PDF every this many inputs
EVERY = 50
#: inputs per Dask partition
PER_PARTITION = 50


def make_inputs(folder: Path, count: int) -> List[str]:
    """``count`` input files in ``folder``: fixture copies, a broken file and a PDF every EVERY inputs."""
    names = []
    for number in range(count):
        if number % EVERY == EVERY - 1:
            path = folder / f"{number:05d}-broken.html"
            path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
        elif number % EVERY == EVERY // 2:
            path = folder / f"{number:05d}-{PDF.name}"
            shutil.copy(PDF, path)
        else:
            source = CORPUS[number % len(CORPUS)]
            path = folder / f"{number:05d}-{source.name}"
            shutil.copy(source, path)
        names.append(str(path))
    return names


def _rss_mb(kilobytes: int) -> float:
    return kilobytes / 1024  # Linux reports ru_maxrss in KiB


def one_local(listing: str, jobs: int, out: str) -> Dict[str, float]:
    """``zqparse parse - --jobs N`` in this process (paths on stdin from ``listing``)."""
    from zqparse.cli import main

    start = time.perf_counter()
    with open(listing, encoding="utf-8") as stdin:
        sys.stdin = stdin
        main(["parse", "-", "--jobs", str(jobs), "--format", "csv", "--csv-kind", "metrics", "-o", out, "-q"])
    seconds = time.perf_counter() - start
    with open(out, encoding="utf-8-sig") as handle:
        rows = sum(1 for _ in handle) - 1
    return {"seconds": seconds, "rows": rows,
            "parent_mb": _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "worker_mb": _rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}


def _worker_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one_dask(listing: str, workers: int, out: str) -> Dict[str, float]:
    """``zqparse.dask.read_reports`` on a LocalCluster of ``workers`` processes, written to Parquet by the workers.

    ``.to_parquet`` rather than ``.compute()``: a computed frame is gathered whole into one
    worker and then the client, so their memory would grow with the inputs by design.
    """
    import glob

    import distributed
    import pyarrow.parquet

    from zqparse.dask import read_reports

    with open(listing, encoding="utf-8") as handle:
        names = handle.read().split("\n")[:-1]
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(workers)
        start = time.perf_counter()  # the cluster's start-up is not the parse's
        read_reports(names, "metrics", per_partition=PER_PARTITION).to_parquet(out, write_index=False)
        seconds = time.perf_counter() - start
        peaks = client.run(_worker_peak)
    rows = sum(pyarrow.parquet.read_metadata(part).num_rows for part in glob.glob(os.path.join(out, "*.parquet")))
    return {"seconds": seconds, "rows": rows,
            "parent_mb": _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "worker_mb": _rss_mb(max(peaks.values()))}


def run_one(mode: str, listing: str, workers: int, scratch: Path) -> Dict[str, float]:
    command = [sys.executable, __file__, "--one", mode, "--listing", listing, "--workers", str(workers),
               "--scratch", str(scratch)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--one", choices=["local", "dask"], help=argparse.SUPPRESS)
    parser.add_argument("--listing", help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # one configuration, in its own process
        if args.one == "local":
            result = one_local(args.listing, args.workers[0], os.path.join(args.scratch, "out.csv"))
        else:
            result = one_dask(args.listing, args.workers[0], os.path.join(args.scratch, f"dask-{Path(args.listing).stem}-{args.workers[0]}"))
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        names = make_inputs(scratch, max(args.sizes))
        print(f"{max(args.sizes)} inputs: {len(CORPUS)} fixture pages copied, a broken file and a PDF "
              f"every {EVERY} inputs; Dask partitions of {PER_PARTITION} inputs; {os.cpu_count()} cores")
        print(f"{'path':<8}{'inputs':>8}{'workers':>8}{'rows':>9}{'seconds':>9}{'inputs/s':>10}"
              f"{'parent MB':>11}{'worker MB':>11}")
        results = {}
        for size in args.sizes:
            listing = scratch / f"list-{size}.txt"
            listing.write_text("".join(name + "\n" for name in names[:size]), encoding="utf-8")
            for mode in ("local", "dask"):
                for workers in args.workers:
                    result = run_one(mode, str(listing), workers, scratch)
                    results[(mode, size, workers)] = result
                    print(f"{mode:<8}{size:>8}{workers:>8}{result['rows']:>9}{result['seconds']:>9.1f}"
                          f"{size / result['seconds']:>10.1f}{result['parent_mb']:>11.0f}"
                          f"{result['worker_mb']:>11.0f}", flush=True)
        control = cpu_control()
        print(f"control: a pure-Python loop in 2 processes runs {control:.2f}× as fast as in 1 on this machine now")
        for mode in ("local", "dask"):
            for size in args.sizes:
                if (mode, size, 1) in results and (mode, size, 2) in results:
                    speed = results[(mode, size, 1)]["seconds"] / results[(mode, size, 2)]["seconds"]
                    print(f"{mode} at {size}: 2 workers {speed:.2f}× 1 worker")


if __name__ == "__main__":
    main()
