"""zqparse.dask on a 2-worker LocalCluster: the same tables as the local run, errors as rows."""
from __future__ import annotations

from pathlib import Path

import pytest

import warcs
import zqparse
from conftest import FIXTURES
from zqparse import export, stores, warc

pandas = pytest.importorskip("pandas")
distributed = pytest.importorskip("distributed")
zdask = pytest.importorskip("zqparse.dask")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=40) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    site = warcs.build(folder / "site.warc.gz")
    return [str(FIXTURES / "pingtan-zhq-2019.html"), str(FIXTURES / "zhaoqing-mzj-2018.txt"),
            str(FIXTURES / "not-reports"), str(folder / "broken.html"), str(folder / "missing.html"), str(site)]


def local_records(inputs: list) -> list:
    """What the local run gives: parse_many over the pages, warc.records over the WARC."""
    return list(zqparse.parse_many(inputs[:-1], jobs=1)) + list(warc.records(inputs[-1]))


def local_frame(inputs: list, kind: str):
    table = [row for record in local_records(inputs) for row in stores.rows(record, kind)]
    return zdask._frame(table, kind)


@pytest.mark.parametrize("per_partition", [None, 3])
def test_the_metrics_table_on_two_workers_equals_the_local_runs(client, inputs: list, per_partition):
    frame = zdask.read_reports(inputs, "metrics", per_partition=per_partition)
    got = frame.compute().reset_index(drop=True)
    expected = export.to_dataframe(local_records(inputs), "metrics")
    assert len(got) == len(expected) > 400
    pandas.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert {str(got[c].dtype) for c in ("year",)} == {"Int64"} and str(got["value"].dtype) == "float64"
    assert len(client.scheduler_info()["workers"]) == 2


def test_partitions_are_one_per_file_or_per_chunk_of_inputs(inputs: list):
    one_each = zdask.partitions(inputs)
    assert len(one_each) == 2 + 2 + 2 + 1  # two pages, the two not-reports, broken, missing, the WARC whole
    assert isinstance(one_each[-1][0], zdask.WarcFile)
    chunks = zdask.partitions(inputs, per_partition=4)
    assert [len(p) for p in chunks] == [4, 4, 4]  # 6 files and the WARC's 6 members
    assert chunks[-1][-1].path == list(warc.scan(inputs[-1]))[-1].location


def test_errors_are_rows_not_crashes(client, inputs: list):
    errors = zdask.read_reports(inputs, "errors", per_partition=2).compute()
    assert sorted(errors["error_type"]) == ["BinaryInputError", "InputError"]  # broken, missing
    reports = zdask.read_reports(inputs, "reports").compute()
    assert len(reports) == 2 + 2 + 2 + 6
    pandas.testing.assert_frame_equal(reports.reset_index(drop=True), local_frame(inputs, "reports"))


def test_meta_has_the_documented_columns_and_dtypes():
    for kind in stores.KINDS:
        frame = zdask.meta(kind)
        assert list(frame.columns) == list(stores.COLUMNS[kind])
        for column, kind_type in stores.column_types(kind).items():
            assert str(frame[column].dtype) == {"integer": "Int64", "real": "float64", "boolean": "boolean",
                                                "text": "string"}[kind_type]
    with pytest.raises(ValueError, match="unknown kind"):
        zdask.read_reports([], "tables")
    assert len(zdask.read_reports([], "metrics").compute()) == 0


def test_a_missing_path_on_the_worker_is_an_error_row(tmp_path: Path):
    got = zdask.read_reports([str(tmp_path / "gone.html")], "reports").compute(scheduler="sync")
    assert list(got["error_type"]) == ["InputError"]


@pytest.mark.parametrize("per_partition", [None, 4])
def test_without_subjects_the_figures_table_differs_only_in_its_subjects(inputs: list, per_partition):
    normal, bare = (zdask.read_reports(inputs, "figures", per_partition=per_partition, subjects=subjects)
                    .compute(scheduler="sync").reset_index(drop=True) for subjects in (True, False))
    assert normal["subject"].notna().sum() > 100 and bare["subject"].isna().all()
    pandas.testing.assert_frame_equal(bare.drop(columns="subject"), normal.drop(columns="subject"))
