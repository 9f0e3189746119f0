"""PDF and .docx parse time per report and per page, beside pdfplumber's ``extract_tables()`` on
the same PDFs, in one run (the machine's speed drifts: the rounds alternate).

    .venv/bin/pip install -e '.[bench,test]'
    .venv/bin/python benchmarks/bench_documents.py [--rounds 10]

PDFs: fixtures/pdf/*.pdf (real reports) and fixture pages printed as PDF with reportlab
(tests/docgen.py); .docx: the same pages written with python-docx. ``zqparse.parse`` does
all of its work (sections, figures, tables, metrics, checks); pdfplumber only finds tables.
A last line doubles the printed pages of one report to show the time grows linearly.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median
from typing import Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import zqparse  # noqa: E402
from docgen import report_docx, report_pdf  # noqa: E402

PRINTED = ["pingtan-zhq-2021.html", "pingtan-zhq-2019.html", "pingtan-zhq-2022.html", "zhaoqing-mzj-2018.txt"]


def _pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _plumber(data: bytes) -> None:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def _time(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    pdfs: Dict[str, bytes] = {p.name: p.read_bytes() for p in sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))}
    docxs: Dict[str, bytes] = {}
    for name in PRINTED:
        page = zqparse.parse(ROOT / "fixtures" / name)
        pdfs[f"{name} (reportlab)"] = report_pdf(page)
        docxs[f"{name} (python-docx)"] = report_docx(page)
    pages = {name: _pages(data) for name, data in pdfs.items()}

    ours: Dict[str, List[float]] = {name: [] for name in pdfs}
    theirs: Dict[str, List[float]] = {name: [] for name in pdfs}
    words: Dict[str, List[float]] = {name: [] for name in docxs}
    for _ in range(args.rounds):
        for name, data in pdfs.items():
            ours[name].append(_time(lambda: zqparse.parse(data)))
            theirs[name].append(_time(lambda: _plumber(data)))
        for name, data in docxs.items():
            words[name].append(_time(lambda: zqparse.parse(data)))

    print(f"{'PDF':<40} {'pages':>5} {'zqparse ms':>11} {'ms/page':>8} {'pdfplumber tables ms':>21} {'ratio':>6}")
    rows: List[Tuple[float, float]] = []
    for name in pdfs:
        a, b = median(ours[name]) * 1000, median(theirs[name]) * 1000
        rows.append((a, b))
        print(f"{name:<40} {pages[name]:>5} {a:>11.1f} {a / pages[name]:>8.1f} {b:>21.1f} {b / a:>5.1f}×")
    print(f"{'median':<40} {'':>5} {median(a for a, _ in rows):>11.1f} {'':>8} {median(b for _, b in rows):>21.1f} "
          f"{median(b / a for a, b in rows):>5.1f}×")
    print()
    print(f"{'.docx':<40} {'zqparse ms':>11}")
    for name, times in words.items():
        print(f"{name:<40} {median(times) * 1000:>11.1f}")
    print()
    page = zqparse.parse(ROOT / "fixtures" / "pingtan-zhq-2021.html")
    one = report_pdf(page)
    two = report_pdf(type(page)(**{**{f: getattr(page, f) for f in page.__dataclass_fields__},
                                   "blocks": page.blocks + page.blocks}))
    for label, data in (("pingtan-zhq-2021 printed once", one), ("… printed twice (one file)", two)):
        times = [_time(lambda: zqparse.parse(data)) for _ in range(args.rounds)]
        print(f"{label:<40} {_pages(data):>3} pages {median(times) * 1000:>8.1f} ms "
              f"{median(times) * 1000 / _pages(data):>6.1f} ms/page")


if __name__ == "__main__":
    main()
