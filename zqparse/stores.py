"""Tables of parsed records in SQLite (standard library) or Parquet (pyarrow): one table per kind.

The kinds are export's tidy kinds (reports, metrics, figures, sections, checks) and
``errors`` (one row per input that failed: the error columns of its ``reports`` row).
Every table starts with ``report_id``, the input's number in the store (1, 2, …),
which is the key of ``reports`` and joins every other table to it; the other columns
are export's :data:`~zqparse.export.COLUMNS`, so a table holds exactly the rows of the
CSV of its kind. Column types come from export's :data:`~zqparse.export.DTYPES`
(:func:`column_types`); docs/archive.md shows them as tables.

Records stream in (:meth:`Store.add`) and out in batches: SQLite commits every
:data:`COMMIT_EVERY` records (a run killed mid-way keeps whole records only), Parquet
writes a row group every :data:`ROW_GROUP_ROWS` rows of a kind. Memory stays flat.

    >>> import zqparse, sqlite3, tempfile, os
    >>> from zqparse import stores
    >>> db = os.path.join(tempfile.mkdtemp(), "reports.db")
    >>> stores.write(zqparse.parse_many("fixtures/zhaoqing-mzj-2018.txt", jobs=1), db)["metrics"]
    4
    >>> sqlite3.connect(db).execute("SELECT agency, year FROM reports").fetchall()
    [('肇庆市民政局', 2018)]
"""
from __future__ import annotations

import os
import sqlite3
from types import TracebackType
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Type

from . import export

__all__ = ["KINDS", "COLUMNS", "ERROR_COLUMNS", "KEY", "rows", "column_types", "Store", "SqliteStore",
           "ParquetStore", "open_store", "write", "FORMAT_BY_SUFFIX"]

Row = Tuple[Any, ...]
Record = Dict[str, Any]

#: the columns of the ``errors`` kind: those of a ``reports`` row that say which input failed and why
ERROR_COLUMNS = ("path", "sha256", "url", "error_type", "error_message")
#: every kind a store holds, and its columns after ``report_id``
COLUMNS: Dict[str, Tuple[str, ...]] = {**export.COLUMNS, "errors": ERROR_COLUMNS}
KINDS = tuple(COLUMNS)
#: the first column of every table: the input's number in the store, the key of ``reports``
KEY = "report_id"

#: column type by export's pandas dtype (a column export gives no dtype holds text)
TYPE_BY_DTYPE = {"Int64": "integer", "float64": "real", "boolean": "boolean"}
#: SQLite's declared type of each column type (booleans are stored as 0 and 1)
SQLITE_TYPES = {"integer": "INTEGER", "real": "REAL", "boolean": "BOOLEAN", "text": "TEXT"}
#: the key of each SQLite table beside report_id (None: rowid only, with an index on report_id)
SQLITE_KEYS: Dict[str, Optional[Tuple[str, ...]]] = {
    "reports": (), "metrics": ("key",), "figures": None, "sections": ("order",), "checks": None, "errors": (),
}
#: SQLite indexes (table, columns) for the questions asked of a panel, and for resuming
SQLITE_INDEXES = (("reports", ("path", "sha256")), ("reports", ("agency", "year")), ("metrics", ("key",)),
                  ("figures", ("report_id",)), ("checks", ("report_id",)), ("checks", ("ok",)))
#: records per SQLite transaction
COMMIT_EVERY = 200
#: rows of one kind per Parquet row group
ROW_GROUP_ROWS = 20_000
#: store formats implied by the suffix of an output name
FORMAT_BY_SUFFIX = {".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".parquet": "parquet"}


def column_types(kind: str) -> Dict[str, str]:
    """Each column of ``kind`` (after report_id) with its type: integer, real, boolean or text."""
    dtypes = export.DTYPES.get(kind, {}) if kind != "errors" else {}
    return {column: TYPE_BY_DTYPE.get(dtypes.get(column, ""), "text") for column in COLUMNS[kind]}


def rows(record: Record, kind: str, *, include_non_reports: bool = False) -> List[Row]:
    """The rows of one record for ``kind``, in :data:`COLUMNS` order (export's rows, and ``errors``)."""
    if kind != "errors":
        return export.rows(record, kind, include_non_reports=include_non_reports)
    if "error" not in record:
        return []
    columns = export.COLUMNS["reports"]
    (row,) = export.rows(record, "reports")
    return [tuple(row[columns.index(column)] for column in ERROR_COLUMNS)]


def _converter(kind: str) -> List[Any]:
    """One function per column turning a record's value into the column's type (None stays None)."""

    def real(value: Any) -> Optional[float]:
        try:
            return float(value)
        except (TypeError, ValueError):  # as export's pandas.to_numeric(errors="coerce")
            return None

    by_type = {"integer": int, "real": real, "boolean": bool, "text": str}
    return [by_type[kind_type] for kind_type in column_types(kind).values()]


def _typed(kind: str, table: Iterable[Row], convert: List[Any]) -> Iterator[Row]:
    for row in table:
        yield tuple(None if value is None else to(value) for to, value in zip(convert, row))


class Store:
    """Where records go, one :meth:`add` at a time; a context manager that closes (and commits) on exit."""

    def __init__(self, *, include_non_reports: bool = False) -> None:
        self.include_non_reports = include_non_reports
        self.counts: Dict[str, int] = {kind: 0 for kind in KINDS}
        self._convert = {kind: _converter(kind) for kind in KINDS}

    def _rows(self, record: Record, kind: str) -> List[Row]:
        table = rows(record, kind, include_non_reports=self.include_non_reports)
        self.counts[kind] += len(table)
        return list(_typed(kind, table, self._convert[kind]))

    def add(self, record: Record) -> None:
        """Store one record (a ``Report.to_dict()`` dict or an error record)."""
        raise NotImplementedError

    def close(self) -> None:
        """Write what is buffered and close."""
        raise NotImplementedError

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> None:
        self.close()


# --------------------------------------------------------------------------- SQLite

def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_statements(kind: str) -> List[str]:
    columns = [f"{_quote(KEY)} INTEGER" + (" PRIMARY KEY" if kind == "reports" else
                                           " NOT NULL REFERENCES reports(report_id)")]
    columns += [f"{_quote(c)} {SQLITE_TYPES[t]}" for c, t in column_types(kind).items()]
    key = SQLITE_KEYS[kind]
    if key is not None and kind != "reports":
        columns.append(f"PRIMARY KEY ({', '.join(_quote(c) for c in (KEY, *key))})")
    statements = [f"CREATE TABLE IF NOT EXISTS {_quote(kind)} ({', '.join(columns)})"]
    for table, indexed in SQLITE_INDEXES:
        if table == kind:
            name = f"{table}_by_{'_'.join(indexed)}"
            statements.append(f"CREATE INDEX IF NOT EXISTS {_quote(name)} ON {_quote(table)} "
                              f"({', '.join(_quote(c) for c in indexed)})")
    return statements


class SqliteStore(Store):
    """Records into an SQLite database, one table per kind (created when missing).

    Without ``resume`` the tables are emptied first; with it, records are added after
    those already there, and :meth:`done` says which inputs those are.
    """

    def __init__(self, path: "str | os.PathLike[str]", *, resume: bool = False,
                 include_non_reports: bool = False) -> None:
        super().__init__(include_non_reports=include_non_reports)
        self.path = os.fspath(path)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA foreign_keys = ON")
        with self.db:
            if not resume:
                for kind in reversed(KINDS):  # the tables that refer to reports first
                    self.db.execute(f"DROP TABLE IF EXISTS {_quote(kind)}")
            for kind in KINDS:
                for statement in _create_statements(kind):
                    self.db.execute(statement)
        self._insert = {kind: f"INSERT INTO {_quote(kind)} VALUES ({', '.join('?' * (len(COLUMNS[kind]) + 1))})"
                        for kind in KINDS}
        self._pending = 0

    def done(self) -> Iterator[Tuple[Optional[str], Optional[str]]]:
        """(key, sha256) of every input the database holds: its path (or url) and its hash, for resuming."""
        for path, url, sha256 in self.db.execute("SELECT path, url, sha256 FROM reports ORDER BY report_id"):
            yield (path if path is not None else url), sha256

    def add(self, record: Record) -> None:
        (report,) = self._rows(record, "reports")
        cursor = self.db.execute(f"INSERT INTO reports VALUES (NULL, {', '.join('?' * len(report))})", report)
        report_id = cursor.lastrowid
        for kind in KINDS[1:]:
            table = self._rows(record, kind)
            if table:
                self.db.executemany(self._insert[kind], [(report_id, *row) for row in table])
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        """Make the records added so far durable."""
        if self._pending:
            self.db.commit()
            self._pending = 0

    def close(self) -> None:
        self.commit()
        self.db.close()


# --------------------------------------------------------------------------- Parquet

def parquet_schema(kind: str) -> Any:
    """The pyarrow schema of one kind's Parquet file."""
    import pyarrow

    by_type = {"integer": pyarrow.int64(), "real": pyarrow.float64(), "boolean": pyarrow.bool_(),
               "text": pyarrow.string()}
    return pyarrow.schema([pyarrow.field(KEY, pyarrow.int64(), nullable=False)]
                          + [pyarrow.field(c, by_type[t]) for c, t in column_types(kind).items()])


class ParquetStore(Store):
    """Records into a folder of Parquet files, ``<kind>.parquet`` for every kind, in row groups.

    The folder is created when missing; files of the same names are replaced. A Parquet
    file is readable only once closed: a run cut short leaves no usable file (parse to
    SQLite or JSON lines to resume).
    """

    def __init__(self, folder: "str | os.PathLike[str]", *, include_non_reports: bool = False,
                 row_group_rows: int = ROW_GROUP_ROWS) -> None:
        super().__init__(include_non_reports=include_non_reports)
        try:
            import pyarrow.parquet
        except ImportError:
            raise ImportError("Parquet output needs pyarrow, which is not installed: "
                              "pip install 'zqparse[parquet]'") from None
        self.folder = os.fspath(folder)
        os.makedirs(self.folder, exist_ok=True)
        self.row_group_rows = row_group_rows
        self._schemas = {kind: parquet_schema(kind) for kind in KINDS}
        self._writers = {kind: pyarrow.parquet.ParquetWriter(os.path.join(self.folder, f"{kind}.parquet"),
                                                             self._schemas[kind])
                         for kind in KINDS}
        self._buffers: Dict[str, List[Row]] = {kind: [] for kind in KINDS}
        self._next_id = 1

    def add(self, record: Record) -> None:
        report_id = self._next_id
        self._next_id += 1
        for kind in KINDS:
            buffer = self._buffers[kind]
            buffer.extend((report_id, *row) for row in self._rows(record, kind))
            if len(buffer) >= self.row_group_rows:
                self._flush(kind)

    def _flush(self, kind: str) -> None:
        import pyarrow

        buffer = self._buffers[kind]
        if not buffer:
            return
        schema = self._schemas[kind]
        arrays = [pyarrow.array([row[i] for row in buffer], type=field.type) for i, field in enumerate(schema)]
        self._writers[kind].write_table(pyarrow.Table.from_arrays(arrays, schema=schema))
        buffer.clear()

    def close(self) -> None:
        for kind in KINDS:
            self._flush(kind)
            self._writers[kind].close()


# --------------------------------------------------------------------------- one call

def open_store(target: "str | os.PathLike[str]", fmt: Optional[str] = None, *, resume: bool = False,
               include_non_reports: bool = False) -> Store:
    """A store at ``target``: ``fmt`` sqlite or parquet, by default from the name's suffix (.db → sqlite)."""
    name = os.fspath(target)
    fmt = fmt or FORMAT_BY_SUFFIX.get(os.path.splitext(name)[1].lower())
    if fmt == "sqlite":
        return SqliteStore(name, resume=resume, include_non_reports=include_non_reports)
    if fmt == "parquet":
        if resume:
            raise ValueError("a Parquet output cannot be resumed: write SQLite (-o x.db) or JSON lines to resume")
        return ParquetStore(name, include_non_reports=include_non_reports)
    raise ValueError(f"cannot tell the store format of {name!r}: give fmt='sqlite' or fmt='parquet'")


def write(reports: Any, target: "str | os.PathLike[str]", fmt: Optional[str] = None, *,
          include_non_reports: bool = False) -> Dict[str, int]:
    """Write records (Reports, record dicts, or a JSON-lines file: see export.records) to a new store.

    Returns the rows written of each kind.
    """
    with open_store(target, fmt, include_non_reports=include_non_reports) as store:
        for record in export.records(reports):
            store.add(record)
    return dict(store.counts)
