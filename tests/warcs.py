"""A test web archive built with warcio from the fixtures, and the same pages as a folder.

:func:`build` writes ``site.warc.gz`` (or ``.warc``) holding, in order: a warcinfo
record; for each page of :data:`PAGES` a request and a response record; a 404, a
revisit of the first page, a metadata record, a DNS record and an image response.
:func:`page_folder` writes each page's payload as a file, so that parsing the folder
and parsing the WARC can be compared record by record.
"""
from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

from conftest import FIXTURES

PDF = FIXTURES / "pdf" / "huaian-szf-2024.pdf"


@dataclass(frozen=True)
class Page:
    name: str  # the file name in the folder (sorted order = WARC order)
    url: str
    content_type: str
    payload: bytes
    gzip_encoded: bool = False  # sent with Content-Encoding: gzip


def _gbk_page() -> bytes:
    """pingtan-xian-2013.html as a GBK page: its <meta> says gbk and its bytes are GB18030."""
    text = (FIXTURES / "pingtan-xian-2013.html").read_text(encoding="utf-8")
    text = text.replace('charset="utf-8"', 'charset="gbk"').replace("charset=utf-8", "charset=gbk")
    return text.encode("gb18030")


def pages() -> List[Page]:
    return [
        Page("a-zhq-2019.html", "http://www.pingtan.gov.cn/zhq/2019.html", "text/html; charset=utf-8",
             (FIXTURES / "pingtan-zhq-2019.html").read_bytes()),
        Page("b-xian-2013-gbk.html", "http://www.pingtan.gov.cn/xian/2013.html", "text/html; charset=GBK",
             _gbk_page()),
        Page("c-zhaoqing-2018.txt", "http://www.zhaoqing.gov.cn/mzj/2018.txt", "text/plain; charset=utf-8",
             (FIXTURES / "zhaoqing-mzj-2018.txt").read_bytes()),
        Page("d-huaian-2024.pdf", "http://www.huaian.gov.cn/2024.pdf", "application/pdf", PDF.read_bytes()),
        Page("e-letter-2014.html", "http://www.pingtan.gov.cn/letter.html", "text/html",
             (FIXTURES / "not-reports" / "pingtan-letter-2014.html").read_bytes(), gzip_encoded=True),
        Page("f-zhq-2021.html", "http://www.pingtan.gov.cn/zhq/2021.html", "application/octet-stream",
             (FIXTURES / "pingtan-zhq-2021.html").read_bytes()),
    ]


#: what build() skips, by kind: a request per page, and the extra records
SKIPPED = {"request": 7, "revisit": 1, "metadata": 1, "warcinfo": 1, "dns": 1, "non-2xx": 1, "not a page": 1}


def _http(status: str, content_type: str, extra: Tuple[Tuple[str, str], ...] = ()):
    from warcio.statusandheaders import StatusAndHeaders

    return StatusAndHeaders(status, [("Content-Type", content_type), *extra], protocol="HTTP/1.1")


def build(path: Path) -> Path:
    """Write the test WARC at ``path`` (gzipped when the name ends .gz)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "zqparse tests"}))

        def exchange(url: str, status: str, content_type: str, body: bytes,
                     extra: Tuple[Tuple[str, str], ...] = ()):
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                 http_headers=_http(status, content_type, extra))
            writer.write_record(response)
            return response

        first = None
        for page in pages():
            body = gzip.compress(page.payload, mtime=0) if page.gzip_encoded else page.payload
            extra = (("Content-Encoding", "gzip"),) if page.gzip_encoded else ()
            record = exchange(page.url, "200 OK", page.content_type, body, extra)
            first = first or record
        exchange("http://www.pingtan.gov.cn/gone.html", "404 Not Found", "text/html; charset=utf-8",
                 b"<html><body>404</body></html>")
        assert first is not None
        writer.write_record(writer.create_revisit_record(
            first.rec_headers.get_header("WARC-Target-URI"),
            digest=first.rec_headers.get_header("WARC-Payload-Digest"),
            refers_to_uri=first.rec_headers.get_header("WARC-Target-URI"),
            refers_to_date=first.rec_headers.get_header("WARC-Date"),
            http_headers=_http("200 OK", "text/html; charset=utf-8")))
        writer.write_record(writer.create_warc_record(
            "http://www.pingtan.gov.cn/zhq/2019.html", "metadata", payload=io.BytesIO(b"outlinks: none\n"),
            warc_content_type="application/warc-fields"))
        writer.write_record(writer.create_warc_record(
            "dns:www.pingtan.gov.cn", "response", payload=io.BytesIO(b"20240101000000\nwww.pingtan.gov.cn. 60 IN A 1.2.3.4\n"),
            warc_content_type="text/dns"))
        writer.write_record(writer.create_warc_record(
            "http://www.pingtan.gov.cn/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
            http_headers=_http("200 OK", "image/png")))
    return path


def page_folder(folder: Path) -> Path:
    """Each page's payload (as served, before any Content-Encoding) as a file of ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages():
        (folder / page.name).write_bytes(page.payload)
    return folder
