"""SQLite and Parquet stores: the CSV exports' rows, typed, keyed, resumable (SQLite), in row groups (Parquet)."""
from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

import pytest

import warcs
import zqparse
from conftest import FIXTURES
from zqparse import bulk, export, stores, warc

pandas = pytest.importorskip("pandas")
pyarrow_parquet = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list:
    """Reports, non-reports and errors: the fixture pages, a broken file, a missing one, and the test WARC."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    names = [str(FIXTURES), str(folder / "broken.html"), str(folder / "missing.html")]
    found = list(zqparse.parse_many(names, jobs=1))
    return found + list(warc.records(warcs.build(folder / "site.warc.gz")))


def csv_count(records: list, kind: str) -> int:
    text = export.csv_header(kind) + "".join(export.csv_rows(r, kind) for r in records)
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def test_the_records_have_every_kind_of_row(records: list):
    assert sum("error" in r for r in records) == 2  # broken, missing
    assert any("error" not in r and not r["meta"]["is_report"] for r in records)
    assert all(csv_count(records, kind) > 0 for kind in export.KINDS)


@pytest.mark.parametrize("fmt", ["sqlite", "parquet"])
def test_row_counts_equal_the_csv_exports(records: list, tmp_path: Path, fmt: str):
    target = tmp_path / ("out.db" if fmt == "sqlite" else "out")
    counts = stores.write(records, target, fmt)
    for kind in export.KINDS:
        assert counts[kind] == csv_count(records, kind), kind
    assert counts["errors"] == sum("error" in r for r in records)
    for kind in stores.KINDS:
        if fmt == "sqlite":
            with sqlite3.connect(target) as db:
                (stored,) = db.execute(f'SELECT count(*) FROM "{kind}"').fetchone()
        else:
            stored = pyarrow_parquet.read_metadata(target / f"{kind}.parquet").num_rows
        assert stored == counts[kind], kind


def test_sqlite_tables_have_the_documented_columns_types_keys_and_indexes(records: list, tmp_path: Path):
    db_path = tmp_path / "reports.db"
    stores.write(records, db_path)
    db = sqlite3.connect(db_path)
    for kind in stores.KINDS:
        info = db.execute(f'PRAGMA table_info("{kind}")').fetchall()
        assert [(row[1], row[2]) for row in info] == [("report_id", "INTEGER")] + [
            (column, stores.SQLITE_TYPES[kind_type]) for column, kind_type in stores.column_types(kind).items()]
    assert [row[5] for row in db.execute('PRAGMA table_info("metrics")') if row[5]] == [1, 2]  # (report_id, key)
    indexes = {row[1] for row in db.execute("PRAGMA index_list(reports)")}
    assert {"reports_by_path_sha256", "reports_by_agency_year"} <= indexes
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT count(*) FROM reports").fetchone() == (len(records),)
    # a panel question in SQL: the metric of one agency and year, joined through report_id
    rows = db.execute("SELECT r.path, m.value FROM metrics m JOIN reports r USING (report_id) "
                      "WHERE m.agency = '肇庆市民政局' AND m.year = 2018 AND m.key = ? ORDER BY report_id",
                      (next(iter(zqparse.parse(FIXTURES / "zhaoqing-mzj-2018.txt").metrics)),)).fetchall()
    assert len(rows) == 2 and rows[0][0].endswith("zhaoqing-mzj-2018.txt")  # the file, and in the WARC
    assert re.search(r"site\.warc\.gz#\d+$", rows[1][0])
    assert db.execute("SELECT DISTINCT typeof(ok) FROM checks WHERE ok IS NOT NULL").fetchall() == [("integer",)]


def test_sqlite_reads_back_in_pandas_as_the_dataframe_export(records: list, tmp_path: Path):
    db_path = tmp_path / "reports.db"
    stores.write(records, db_path)
    with sqlite3.connect(db_path) as db:
        for kind in ("metrics", "checks", "reports"):
            frame = pandas.read_sql(f'SELECT * FROM "{kind}" ORDER BY rowid', db)
            expected = export.to_dataframe(records, kind)
            assert list(frame.columns) == ["report_id", *export.COLUMNS[kind]]
            frame = frame.drop(columns="report_id").astype(export.DTYPES[kind])
            pandas.testing.assert_frame_equal(frame, expected, check_dtype=False)


def test_parquet_files_have_the_documented_schema_and_read_back_in_pandas(records: list, tmp_path: Path):
    stores.write(records, tmp_path, "parquet")
    for kind in stores.KINDS:
        schema = pyarrow_parquet.read_schema(tmp_path / f"{kind}.parquet")
        assert schema.names == ["report_id", *stores.COLUMNS[kind]]
        assert schema.equals(stores.parquet_schema(kind), check_metadata=False)
    for kind in ("metrics", "figures", "sections", "reports"):
        frame = pandas.read_parquet(tmp_path / f"{kind}.parquet", dtype_backend="numpy_nullable")
        expected = export.to_dataframe(records, kind)
        assert str(frame["year"].dtype) == "Int64"
        pandas.testing.assert_frame_equal(frame.drop(columns="report_id").astype(export.DTYPES[kind]), expected,
                                          check_dtype=False)


def test_parquet_is_written_in_row_groups_as_records_stream_in(records: list, tmp_path: Path):
    with stores.ParquetStore(tmp_path, row_group_rows=100) as store:
        for record in records:
            store.add(record)
    meta = pyarrow_parquet.read_metadata(tmp_path / "figures.parquet")
    assert meta.num_row_groups == -(-csv_count(records, "figures") // 100) or meta.num_row_groups > 1
    assert meta.num_rows == csv_count(records, "figures")


def test_sqlite_resume_skips_the_inputs_already_there(tmp_path: Path):
    pages = sorted(str(p) for p in FIXTURES.glob("pingtan-zhq-*.html"))
    db_path = tmp_path / "reports.db"
    with stores.SqliteStore(db_path) as store:
        for outcome in bulk.run(bulk.expand_inputs(pages[:3])):
            store.add(outcome.output)  # type: ignore[arg-type]
    with stores.SqliteStore(db_path, resume=True) as store:
        done = bulk.Done(store.done())
        outcomes = list(bulk.run(bulk.expand_inputs(pages), done=done))
        for outcome in outcomes:
            if outcome.status != "skipped":
                store.add(outcome.output)  # type: ignore[arg-type]
    assert [o.status for o in outcomes] == ["skipped"] * 3 + ["report"] * (len(pages) - 3)
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT path FROM reports ORDER BY report_id").fetchall() == [(p,) for p in pages]
    assert db.execute("SELECT max(report_id) FROM metrics").fetchone() == (len(pages),)


def test_sqlite_without_resume_starts_afresh(tmp_path: Path):
    page = str(FIXTURES / "zhaoqing-mzj-2018.txt")
    for _ in range(2):
        stores.write(zqparse.parse_many(page, jobs=1), tmp_path / "x.db")
    assert sqlite3.connect(tmp_path / "x.db").execute("SELECT count(*) FROM reports").fetchone() == (1,)


def test_open_store_by_suffix_and_refusals(tmp_path: Path):
    assert isinstance(stores.open_store(tmp_path / "a.sqlite"), stores.SqliteStore)
    with pytest.raises(ValueError, match="cannot be resumed"):
        stores.open_store(tmp_path / "p", "parquet", resume=True)
    with pytest.raises(ValueError, match="cannot tell"):
        stores.open_store(tmp_path / "out.csv")


def test_docs_show_every_table_with_its_columns_and_types():
    """docs/archive.md's schema tables are the stores' columns and types, in order."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "archive.md").read_text(encoding="utf-8")
    for kind in stores.KINDS:
        section = re.search(rf"^### `{kind}`\n(.*?)(?=^#|\Z)", text, re.M | re.S)
        assert section, f"docs/archive.md has no table for {kind}"
        documented = re.findall(r"^\| `(\w+)` \| (\w+) \|", section.group(1), re.M)
        assert documented == [("report_id", "integer")] + list(stores.column_types(kind).items()), kind


# --------------------------------------------------------------------------- the command line

def test_parse_into_sqlite_and_resume(tmp_path: Path, capsys):
    from zqparse.cli import main

    db_path = tmp_path / "reports.db"
    pages = [str(FIXTURES / "pingtan-zhq-2012.html"), str(FIXTURES / "zhaoqing-mzj-2018.txt")]
    assert main(["parse", pages[0], "-o", str(db_path), "--jobs", "1"]) == 0
    assert main(["parse", *pages, str(FIXTURES / "not-reports"), "-o", str(db_path), "--resume"]) == 0
    assert "4 inputs: 1 report, 2 not-reports, 0 errors, 1 skipped (already in output)" in capsys.readouterr().err
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT count(*), count(DISTINCT path) FROM reports").fetchone() == (4, 4)
    expected = export.to_dataframe(zqparse.parse_many(pages, jobs=1), "metrics")
    assert db.execute("SELECT count(*) FROM metrics").fetchone() == (len(expected),)


def test_parse_into_parquet(tmp_path: Path):
    from zqparse.cli import main

    out = tmp_path / "panel"
    assert main(["parse", str(FIXTURES), "-o", str(out), "--format", "parquet", "-q"]) == 0
    records = list(zqparse.parse_many(str(FIXTURES), jobs=1))
    for kind in export.KINDS:
        assert pyarrow_parquet.read_metadata(out / f"{kind}.parquet").num_rows == csv_count(records, kind)
    assert main(["parse", str(FIXTURES), "-o", str(out), "--format", "parquet", "--resume"]) == 2
    assert main(["parse", str(FIXTURES), "--format", "sqlite"]) == 2
