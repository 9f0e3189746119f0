"""zqparse on a Dask cluster: files and web archives in, a Dask DataFrame of one tidy kind out.

:func:`read_reports` builds the DataFrame lazily; it runs on whatever scheduler is
current — a ``distributed.Client`` the caller made (a ``LocalCluster``, dask-jobqueue on
a university cluster, Kubernetes), else Dask's local threads. Every input gives its
rows, and a failed input gives an error record (rows of the ``reports`` and ``errors``
kinds), never a failed task. The columns are export's :data:`~zqparse.export.COLUMNS`
(``errors``: :data:`~zqparse.stores.ERROR_COLUMNS`) with export's dtypes; text columns
are pandas ``string``.

Workers read the inputs themselves, so the paths must be readable where the workers run
(a shared file system). Needs ``pip install 'zqparse[dask]'``.

    >>> from zqparse.dask import read_reports
    >>> frame = read_reports(["fixtures/zhaoqing-mzj-2018.txt"], "metrics")
    >>> frame.npartitions, len(frame.compute())
    (1, 4)
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import bulk, stores, warc

__all__ = ["read_reports", "partitions", "meta", "column_dtype", "WarcFile"]

#: the pandas dtype of text columns (typed columns take export's dtypes)
TEXT_DTYPE = "string"


@dataclass(frozen=True, slots=True)
class WarcFile:
    """A whole WARC file as one input unit: its members are read on the worker, one pass."""

    path: str
    subjects: bool = True  # find figures' subjects (as parse's ``subjects``)


Unit = Union[bulk.Task, WarcFile]


def partitions(names: Iterable["str | os.PathLike[str]"], per_partition: Optional[int] = None, *,
               subjects: bool = True) -> List[List[Unit]]:
    """The inputs of ``names`` (files, folders, globs, manifests, WARC files), grouped into partitions.

    ``per_partition`` None: one partition per page file and per WARC file (read whole on
    one worker). A number: partitions of that many inputs, a WARC's members counted one by
    one (the WARC is scanned here first to find them). ``subjects`` as in
    :func:`~zqparse.pipeline.parse`.
    """
    units: List[Unit] = []
    for name in (os.fspath(n) for n in names):
        if warc.is_warc(name) and os.path.isfile(name):
            if per_partition is None:
                units.append(WarcFile(name, subjects=subjects))
            else:
                units.extend(bulk.Task(path=m.location, url=m.url, encoding=m.encoding, subjects=subjects)
                             for m in warc.scan(name))
        else:
            units.extend(dataclasses.replace(task, subjects=subjects) for task in bulk.expand_inputs([name]))
    size = 1 if per_partition is None else max(1, per_partition)
    return [units[start:start + size] for start in range(0, len(units), size)]


def _records(unit: Unit) -> Iterable[Dict[str, Any]]:
    if isinstance(unit, WarcFile):
        return warc.records(unit.path, subjects=unit.subjects)
    if warc.is_location(unit.path):
        try:
            return [warc.parse_member(unit.path or "", subjects=unit.subjects).to_dict()]
        except Exception as error:  # every failure is a record
            return [bulk.error_record(unit.path, error, url=unit.url)]
    outcome = bulk.run_task(unit)
    return [outcome.output]  # type: ignore[list-item]  # run_task without a render gives the record


def _frame(table: Sequence[Sequence[Any]], kind: str) -> Any:
    import pandas

    dtypes = {column: column_dtype(kind, column) for column in stores.COLUMNS[kind]}
    frame = pandas.DataFrame.from_records(list(table), columns=list(stores.COLUMNS[kind]))
    for column, dtype in dtypes.items():
        if dtype == "float64":  # as export: a value that is not a number becomes NaN
            frame[column] = pandas.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def column_dtype(kind: str, column: str) -> str:
    """The pandas dtype of a column: export's for typed columns, ``string`` for text."""
    dtypes = stores.column_types(kind)
    return {"integer": "Int64", "real": "float64", "boolean": "boolean"}.get(dtypes[column], TEXT_DTYPE)


def meta(kind: str) -> Any:
    """An empty pandas DataFrame with the columns and dtypes of ``kind`` (Dask's ``meta``)."""
    return _frame([], kind)


def _partition(units: List[Unit], kind: str, include_non_reports: bool) -> Any:
    """The rows of ``kind`` of a partition's inputs, as a pandas DataFrame (runs on a worker)."""
    bulk.quiet_libraries()
    table = [row for unit in units for record in _records(unit)
             for row in stores.rows(record, kind, include_non_reports=include_non_reports)]
    return _frame(table, kind)


def read_reports(paths_or_warcs: "str | os.PathLike[str] | Iterable[str | os.PathLike[str]]",
                 kind: str = "metrics", *, per_partition: Optional[int] = None,
                 include_non_reports: bool = False, subjects: bool = True) -> Any:
    """A Dask DataFrame of one tidy ``kind`` (metrics, figures, sections, checks, reports, errors).

    ``paths_or_warcs`` is what ``zqparse parse`` takes (files, folders, globs, manifests)
    and WARC files; see :func:`partitions` for ``per_partition``; ``subjects=False`` finds no
    figure subjects (as :func:`~zqparse.pipeline.parse`). Nothing is parsed until the frame is computed.
    """
    if kind not in stores.COLUMNS:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(stores.KINDS)}")
    try:
        import dask.dataframe
    except ImportError:
        raise ImportError("zqparse.dask needs dask, which is not installed: pip install 'zqparse[dask]'") from None
    if isinstance(paths_or_warcs, (str, os.PathLike)):
        paths_or_warcs = [paths_or_warcs]
    parts = partitions(paths_or_warcs, per_partition, subjects=subjects)
    if not parts:
        return dask.dataframe.from_pandas(meta(kind), npartitions=1)  # type: ignore[no-untyped-call]  # dask: no types
    return dask.dataframe.from_map(  # type: ignore[no-untyped-call]  # dask publishes no types for from_map
        _partition, parts, kind=kind, include_non_reports=include_non_reports,
        meta=meta(kind), label=f"zqparse-{kind}", enforce_metadata=False)
