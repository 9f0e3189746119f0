"""WARC/ARC input: one record per page-bearing response, the same as the pages from a folder."""
from __future__ import annotations

import gzip
import io
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

import warcs
import zqparse
from zqparse import warc
from zqparse.errors import InputError, InputTooLargeError

FIXTURES_PAGE = warcs.FIXTURES / "pingtan-zhq-2012.html"


def without_source(record: dict) -> dict:
    return {key: value for key, value in record.items() if key != "source"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return warcs.build(tmp_path_factory.mktemp("warc") / "site.warc.gz")


@pytest.fixture(scope="module")
def folder_records(tmp_path_factory) -> list:
    folder = warcs.page_folder(tmp_path_factory.mktemp("pages"))
    return list(zqparse.parse_many(sorted(str(p) for p in folder.iterdir()), jobs=1))


@pytest.mark.parametrize("name", ["site.warc.gz", "site.warc"])
def test_one_record_per_page_bearing_response_the_same_as_the_folders(tmp_path: Path, name: str,
                                                                       folder_records: list):
    path = warcs.build(tmp_path / name)
    skipped: Counter = Counter()
    got = list(warc.records(path, skipped))
    assert len(got) == len(warcs.pages()) == 6
    assert [without_source(r) for r in got] == [without_source(r) for r in folder_records]
    assert [r["source"]["url"] for r in got] == [page.url for page in warcs.pages()]
    assert [r["source"]["sha256"] for r in got] == [r["source"]["sha256"] for r in folder_records]
    assert dict(skipped) == warcs.SKIPPED
    # what the records are: five reports (one of them the PDF) and a letter that is not a report
    assert [r["meta"]["is_report"] for r in got] == [True, True, True, True, False, True]
    assert got[3]["meta"]["agency"] == "淮安市人民政府" and got[3]["source"]["media"] == "pdf"


def test_source_path_names_the_warc_and_the_offset_and_finds_the_record_again(site: Path):
    got = list(warc.records(site))
    members = list(warc.scan(site))
    assert [r["source"]["path"] for r in got] == [f"{site}#{m.offset}" for m in members]
    assert [r["source"]["sha256"] for r in got] == [m.sha256 for m in members]
    again = warc.parse_member(members[1].location).to_dict()
    assert again == got[1]
    assert again["source"]["encoding"] == "gb18030" and again["meta"]["year"] == 2013


def test_the_http_charset_goes_to_the_decoder(site: Path):
    members = list(warc.scan(site))
    assert [m.encoding for m in members] == ["utf-8", "GBK", "utf-8", None, None, None]


def test_a_location_that_is_not_a_member_is_an_input_error(site: Path):
    members = list(warc.scan(site))
    with pytest.raises(InputError, match="not a page-bearing response"):
        warc.read_member(f"{site}#0")  # the warcinfo record
    # inside a gzip member: usually no record at all; now and then warcio reads bytes there as one
    # (the test WARC's record ids and dates are random), which is no page either
    with pytest.raises(InputError, match="no WARC record|not a page-bearing response"):
        warc.read_member(f"{site}#{members[0].offset + 7}")
    with pytest.raises(InputError, match="not a WARC record location"):
        warc.read_member(str(site))
    assert warc.is_location(members[0].location) and not warc.is_location(str(site))
    assert warc.split_location("a/b.arc.gz#12") == ("a/b.arc.gz", 12)


def test_a_payload_over_the_limit_is_an_error_record(site: Path):
    got = list(warc.records(site, max_bytes=80_000))  # the text and the letter are smaller
    assert [r.get("error", {}).get("type") for r in got] == [
        "InputTooLargeError", "InputTooLargeError", None, "InputTooLargeError", None, "InputTooLargeError"]
    assert got[1]["source"]["path"].startswith(str(site) + "#")
    assert [r["source"]["path"] for r in got] == [m.location for m in warc.scan(site)]


def _arc_record(url: str, content_type: str, body: bytes) -> bytes:
    header = f"{url} 1.2.3.4 20240101000000 {content_type} {len(body)}\n".encode()
    return gzip.compress(header + body + b"\n", mtime=0)


def test_arc_files_are_read_too(tmp_path: Path):
    page = (warcs.FIXTURES / "pingtan-zhq-2012.html").read_bytes()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
    info = b"1 0 zqparse\nURL IP-address Archive-date Content-type Archive-length\n"
    path = tmp_path / "old.arc.gz"
    path.write_bytes(_arc_record("filedesc://old.arc", "text/plain", info)
                     + _arc_record("dns:www.pingtan.gov.cn", "text/dns", b"www.pingtan.gov.cn. 60 IN A 1.2.3.4\n")
                     + _arc_record("http://www.pingtan.gov.cn/2012.html", "text/html", http))
    skipped: Counter = Counter()
    got = list(warc.records(path, skipped))
    assert len(got) == 1 and dict(skipped) == {"warcinfo": 1, "dns": 1}
    assert without_source(got[0]) == without_source(zqparse.parse(page).to_dict())
    assert got[0]["source"]["url"] == "http://www.pingtan.gov.cn/2012.html"
    assert warc.parse_member(got[0]["source"]["path"]).to_dict() == got[0]


def test_reading_a_warc_streams(tmp_path: Path):
    """Memory stays flat in the WARC's size: 40 pages of 100 kB read with well under one page's worth extra."""
    from warcio.warcwriter import WARCWriter

    page = (warcs.FIXTURES / "pingtan-zhq-2019.html").read_bytes()
    page = (page * (100_000 // len(page) + 1))[:100_000]
    path = tmp_path / "big.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for number in range(40):
            writer.write_record(writer.create_warc_record(
                f"http://x/{number}.html", "response", payload=io.BytesIO(page),
                http_headers=warcs._http("200 OK", "text/html")))
    tracemalloc.start()
    try:
        members = list(warc.scan(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(members) == 40 and len({m.sha256 for m in members}) == 1
    assert peak < 1_000_000, f"scan held {peak} bytes for a {path.stat().st_size}-byte WARC"


def test_skipped_line_names_the_kinds_in_order():
    assert warc.skipped_line(Counter({"revisit": 1, "request": 3})) == "WARC records skipped: 3 request, 1 revisit"
    assert warc.skipped_line(Counter()) == ""


def test_is_warc_by_name():
    assert [warc.is_warc(n) for n in ("a.warc", "A.WARC.GZ", "b.arc.gz", "c.arc", "d.html.gz", "e.gz")] == [
        True, True, True, True, False, False]


# --------------------------------------------------------------------------- gzipped pages

def test_a_gzipped_page_is_read_as_the_page():
    page = (warcs.FIXTURES / "pingtan-zhq-2017.html").read_bytes()
    assert warc.page_bytes(gzip.compress(page), 10 ** 6) == page
    assert warc.page_bytes(page, 10 ** 6) is page
    pdf = warcs.PDF.read_bytes()
    assert warc.page_bytes(gzip.compress(pdf), 10 ** 6) == pdf


def test_a_gzipped_page_over_the_limit_corrupt_or_a_warc_is_refused(site: Path):
    with pytest.raises(InputTooLargeError):
        warc.page_bytes(gzip.compress(b"<p>x</p>" * 100_000), 10_000)  # a gzip bomb in miniature
    with pytest.raises(InputError, match="corrupt gzip"):
        warc.page_bytes(gzip.compress(b"<html>" * 100)[:30], 10 ** 6)
    with pytest.raises(InputError, match="web archive"):
        warc.page_bytes(site.read_bytes(), 10 ** 7)


def test_a_warc_cut_short_ends_with_an_error_record_of_the_file(site: Path, tmp_path: Path):
    cut = tmp_path / "cut.warc.gz"
    data = site.read_bytes()
    members = list(warc.scan(site))
    cut.write_bytes(data[:members[2].offset + 100])  # inside the third page's record
    got = list(warc.records(cut))
    assert [r["source"]["path"] for r in got[:2]] == [f"{cut}#{m.offset}" for m in members[:2]]
    assert "error" not in got[0] and "error" not in got[1]
    assert got[-1]["source"]["path"] == str(cut) and got[-1]["error"]["type"] == "InputError"


# --------------------------------------------------------------------------- through parse and bulk

def test_parse_reads_a_gzipped_page_file_and_bytes(tmp_path: Path):
    page = FIXTURES_PAGE.read_bytes()
    (tmp_path / "p.html.gz").write_bytes(gzip.compress(page))
    expected = without_source(zqparse.parse(page).to_dict())
    assert without_source(zqparse.parse(tmp_path / "p.html.gz").to_dict()) == expected
    assert without_source(zqparse.parse(gzip.compress(page)).to_dict()) == expected
    pdf = zqparse.parse(gzip.compress(warcs.PDF.read_bytes()))
    assert pdf.meta.agency == "淮安市人民政府" and pdf.source.media == "pdf"
    with pytest.raises(InputError, match="web archive"):
        zqparse.parse(warcs.build(tmp_path / "site.warc.gz"))


def test_a_folder_with_a_warc_and_gzipped_pages_in_bulk(tmp_path: Path, folder_records: list):
    from zqparse import bulk

    warcs.build(tmp_path / "b-site.warc.gz")
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(FIXTURES_PAGE.read_bytes()))
    skipped: Counter = Counter()
    tasks = bulk.expand_inputs([str(tmp_path)], skipped=skipped)
    assert len(tasks) == 1 + 6 and dict(skipped) == warcs.SKIPPED
    got = [outcome.output for outcome in bulk.run(tasks, jobs=2)]
    assert [without_source(r) for r in got[1:]] == [without_source(r) for r in folder_records]
    assert got[0]["meta"]["year"] == 2012 and got[0]["source"]["path"] == str(tmp_path / "a.html.gz")
    # resuming knows both: the WARC members by their payloads, the gzipped page by its content
    done = bulk.Done((r["source"]["path"], r["source"]["sha256"]) for r in got)
    assert [o.status for o in bulk.run(tasks, done=done)] == ["skipped"] * 7


def test_the_command_line_parses_a_warc_and_counts_what_it_skipped(tmp_path: Path, capsys):
    from zqparse.cli import main

    site = warcs.build(tmp_path / "site.warc.gz")
    assert main(["parse", str(site), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "6 inputs: 5 reports, 1 not-report, 0 errors" in err
    assert "WARC records skipped: 7 request, 1 revisit, 1 metadata, 1 warcinfo, 1 dns, 1 non-2xx, 1 not a page" in err


# --------------------------------------------------------------------------- WARC out

def test_a_crawl_written_as_warc_parses_to_the_crawl_folders_records(tmp_path: Path):
    import test_crawl
    from test_fetch import Server

    from zqparse import bulk
    from zqparse.crawl import crawl

    with Server(test_crawl._pingtan_routes()) as site:
        entries = crawl(site.url(test_crawl.LIST_PATH), out_dir=tmp_path / "out", warc=tmp_path / "crawl.warc.gz",
                        **test_crawl.QUICK)
    fetched = [e for e in entries if e["path"]]
    assert len(fetched) >= 6 and any(e["status"] == 404 for e in entries)
    everything = list(zqparse.parse_many(str(tmp_path / "out"), jobs=1))  # the manifest: 404s are error records
    assert len(everything) == len(entries)
    from_folder = [record for record, entry in zip(everything, entries) if entry["path"]]
    skipped: Counter = Counter()
    from_warc = {r["source"]["url"]: r for r in warc.records(tmp_path / "crawl.warc.gz", skipped)}
    # the WARC also holds the two list pages (not reports, but pages): every report is there as parsed
    assert [without_source(from_warc[e["url"]]) for e in fetched] == [without_source(r) for r in from_folder]
    assert [from_warc[e["url"]]["source"]["sha256"] for e in fetched] == [r["source"]["sha256"] for r in from_folder]
    assert skipped["request"] == len(entries) + 2 and skipped["non-2xx"] == 4 and skipped["warcinfo"] == 1
    with open(tmp_path / "crawl.warc.gz", "rb") as handle:
        from warcio.archiveiterator import ArchiveIterator

        response = next(r for r in ArchiveIterator(handle) if r.rec_type == "response")
        assert response.rec_headers.get_header("WARC-Date").endswith("Z")
        assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert len(bulk.expand_inputs([str(tmp_path / "crawl.warc.gz")])) == len(fetched) + 2


def test_a_fetchers_exchanges_recorded_as_received_read_back_as_the_page(tmp_path: Path):
    """WarcWriter.recorder() on a Fetcher: robots.txt and a gzip-encoded page, as sent; the page reads back."""
    from test_fetch import HTML, Server, quick

    page = FIXTURES_PAGE.read_bytes()
    routes = {"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
              "/a.htm": (200, {"Content-Type": HTML, "Content-Encoding": "gzip"}, gzip.compress(page))}
    with Server(routes) as site, warc.WarcWriter(tmp_path / "x.warc.gz") as archive:
        fetcher = quick(on_exchange=archive.recorder())
        assert fetcher.fetch(site.url("/a.htm")).body == page
        fetcher.close()
    skipped: Counter = Counter()
    (record,) = warc.records(tmp_path / "x.warc.gz", skipped)
    assert without_source(record) == without_source(zqparse.parse(page).to_dict())
    assert dict(skipped) == {"warcinfo": 1, "request": 2, "robots": 1}
    with open(tmp_path / "x.warc.gz", "rb") as handle:
        from warcio.archiveiterator import ArchiveIterator

        (response,) = [r for r in ArchiveIterator(handle) if r.rec_type == "response" and "a.htm" in
                       r.rec_headers.get_header("WARC-Target-URI")]
        assert response.http_headers.get_header("Content-Encoding") == "gzip"  # as received


def test_members_parsed_without_subjects_differ_only_in_subjects(site: Path):
    normal = list(warc.records(site))
    bare = list(warc.records(site, subjects=False))
    members = list(warc.scan(site))
    assert warc.parse_member(members[1].location, subjects=False).to_dict() == bare[1]
    assert sum(f["subject"] is not None for r in normal for f in r["figures"]) > 0
    assert bare == [dict(r, figures=[dict(f, subject=None) for f in r["figures"]]) for r in normal]
