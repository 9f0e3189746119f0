"""What figures cost: parse every corpus page with figures on and off, and print the ratio.

Run by hand from the project root:

    .venv/bin/python benchmarks/bench_figures.py [--repeat 5] [--corpus ../shared/corpus]

"off" replaces the figures stage (find_figures and figure_checks) with stubs that
return nothing; "bare" finds figures without subjects (``subjects=False``: no jieba);
"on" is ``zqparse.parse`` as shipped. All are measured in this run, per page (best of
``--repeat``), after jieba's dictionary has been loaded, whose one-time cost is
measured apart and printed on its own line. The words of clauses are cached
(``subjects.clause_words``); the cache is cleared before each timed parse, so "on"
is the cost of a page seen for the first time.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import zqparse
from zqparse import pipeline, subjects

HERE = Path(__file__).resolve().parent


def pages(corpus: Path):
    found = sorted(corpus.glob("*.html")) + sorted(corpus.glob("*.txt")) + sorted((corpus / "excerpts").glob("*.txt"))
    return [p for p in found if p.is_file()]


def best(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        subjects.clause_words.cache_clear()
        start = time.perf_counter()
        zqparse.parse(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = pages(args.corpus)

    start = time.perf_counter()
    subjects.tokenizer()  # jieba's dictionary: a one-time cost
    jieba_load = time.perf_counter() - start

    real_find, real_checks = pipeline.find_figures, pipeline.figure_checks
    pipeline.find_figures = lambda page, sections: ()
    pipeline.figure_checks = lambda page, found: ()
    try:
        off = {p: best(p, args.repeat) for p in files}  # the baseline, measured in this run
        pipeline.find_figures = lambda page, sections: real_find(page, sections, subjects=False)
        pipeline.figure_checks = real_checks
        bare = {p: best(p, args.repeat) for p in files}
    finally:
        pipeline.find_figures, pipeline.figure_checks = real_find, real_checks
    on = {p: best(p, args.repeat) for p in files}

    print(f"{'page':<42} {'off ms':>8} {'bare ms':>8} {'on ms':>8} {'ratio':>6} {'figures':>7}")
    for p in files:
        count = len(zqparse.parse(p).figures)
        print(f"{p.name:<42} {off[p] * 1e3:8.1f} {bare[p] * 1e3:8.1f} {on[p] * 1e3:8.1f} {on[p] / off[p]:6.2f} "
              f"{count:7d}")
    total_off, total_bare, total_on = sum(off.values()), sum(bare.values()), sum(on.values())
    print(f"{'all ' + str(len(files)) + ' pages':<42} {total_off * 1e3:8.1f} {total_bare * 1e3:8.1f} "
          f"{total_on * 1e3:8.1f} {total_on / total_off:6.2f}")
    print(f"subjects (jieba) over the corpus: +{(total_on - total_bare) / len(files) * 1e3:.1f} ms per page")
    print(f"figures-on / figures-off over the corpus: {total_on / total_off:.2f}x "
          f"(+{(total_on - total_off) / len(files) * 1e3:.1f} ms per page)")
    print(f"jieba dictionary load (one-time, excluded above): {jieba_load * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
