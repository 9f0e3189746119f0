"""Web archives in and out: WARC/ARC files, and gzipped pages.

A WARC file (``.warc``, ``.warc.gz``; the older ``.arc``, ``.arc.gz``) holds many
records. Every ``response`` record whose HTTP status is 2xx and whose payload is a
page (HTML, text), a PDF or a DOCX is one *member*: one input, one record out.
Every other record is skipped and counted by kind (:data:`SKIP_KINDS`): the request
records, revisits (a duplicate of an earlier payload), metadata, warcinfo, DNS
lookups, robots.txt, non-2xx responses, and responses that are not pages (images, scripts).

A member is found again by its *location* ``"<warc path>#<record offset>"`` (the
offset of the record in the file, compressed offset for ``.gz``): this is the
report's ``source.path``, and :func:`parse_member` reads the one record at that
offset without reading the rest of the file. Reading is streaming: memory does
not grow with the size of the WARC, only with the largest payload (capped at
``max_bytes`` like any input).

``.gz`` pages (a gzipped HTML page or PDF) are read by :func:`page_bytes`.

WARC reading needs warcio (``pip install 'zqparse[warc]'``); gzipped pages do not.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Tuple

from .errors import InputError, InputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Report

__all__ = ["WARC_SUFFIXES", "SKIP_KINDS", "PAGE_MEDIA_TYPES", "Member", "is_warc", "is_location",
           "split_location", "scan", "read_member", "parse_member", "records", "skipped_line",
           "page_bytes", "input_sha256", "GZIP_MAGIC", "WarcWriter"]

#: file names read as web archives (case-insensitive)
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")

#: media types (of the HTTP Content-Type) whose payload is a page, a PDF or a DOCX
PAGE_MEDIA_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain",
    "application/pdf", "application/x-pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
})
#: media types that say nothing about the payload: a page only if its first bytes say so (:data:`SNIFF`)
GENERIC_MEDIA_TYPES = frozenset({
    "", "application/octet-stream", "binary/octet-stream", "application/download", "application/x-download",
    "application/force-download", "application/unknown", "unknown/unknown",
})
#: first bytes of a payload of a generic media type that make it a page: (magic, URL suffix it needs or "")
SNIFF = (
    (b"%PDF-", ""),
    (b"PK\x03\x04", ".docx"),  # any ZIP starts so: only a URL naming a .docx makes it one
)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)

#: how skipped records are counted, in the order the summary names them
SKIP_KINDS = ("request", "revisit", "metadata", "warcinfo", "resource", "dns", "robots", "non-2xx", "not a page",
              "other")

#: bytes read from a payload to tell what it is
SNIFF_BYTES = 1024
#: block size for streaming payloads
BLOCK = 1 << 16
#: the magic number of gzip data
GZIP_MAGIC = b"\x1f\x8b"

_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_LOCATION = re.compile(r"^(?P<warc>.+\.(?:warc|arc)(?:\.gz)?)#(?P<offset>\d+)$", re.I)


@dataclass(frozen=True, slots=True)
class Member:
    """One page-bearing response record of a WARC file: where it is and what its HTTP headers said."""

    warc: str
    offset: int
    url: Optional[str]
    encoding: Optional[str]  # the charset of the Content-Type header
    sha256: Optional[str] = None  # of the payload (set by :func:`scan`)

    @property
    def location(self) -> str:
        """``"<warc path>#<offset>"``: the record's ``source.path``."""
        return f"{self.warc}#{self.offset}"


# --------------------------------------------------------------------------- names

def is_warc(path: "str | os.PathLike[str]") -> bool:
    """True when the file name is a web archive's (:data:`WARC_SUFFIXES`)."""
    return os.fspath(path).lower().endswith(WARC_SUFFIXES)


def split_location(location: str) -> Optional[Tuple[str, int]]:
    """(warc path, offset) of a location ``"x.warc.gz#1234"``; None for anything else."""
    match = _LOCATION.match(location)
    return (match.group("warc"), int(match.group("offset"))) if match else None


def is_location(path: Optional[str]) -> bool:
    """True when ``path`` names a WARC record (``x.warc.gz#1234``) rather than an existing file."""
    return path is not None and split_location(path) is not None and not os.path.isfile(path)


# --------------------------------------------------------------------------- reading

def _archive_iterator(stream: IO[bytes]) -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise ImportError("reading WARC files needs warcio, which is not installed: "
                          "pip install 'zqparse[warc]'") from None
    return ArchiveIterator(stream, arc2warc=True)


def _media_type(content_type: Optional[str]) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: Optional[str]) -> Optional[str]:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _kind(record: Any, head: bytes) -> Optional[str]:
    """None when the record is a member; else the kind it is skipped as (:data:`SKIP_KINDS`)."""
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if kind != "response":
        return kind if kind in SKIP_KINDS else "other"
    if url.startswith("dns:"):
        return "dns"
    if url.split("?", 1)[0].endswith("/robots.txt"):
        return "robots"
    http = record.http_headers
    if http is None:
        return "not a page"
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return "non-2xx"
    if not 200 <= status < 300:
        return "non-2xx"
    media = _media_type(http.get_header("Content-Type"))
    if media in PAGE_MEDIA_TYPES:
        return None
    if media in GENERIC_MEDIA_TYPES:
        path = url.split("?", 1)[0].split("#", 1)[0].lower()
        if any(head.startswith(magic) and path.endswith(suffix) for magic, suffix in SNIFF):
            return None
        if _HTML_START.match(head):
            return None
    return "not a page"


def _member(warc: str, offset: int, record: Any) -> Member:
    http = record.http_headers
    return Member(warc=warc, offset=offset, url=record.rec_headers.get_header("WARC-Target-URI"),
                  encoding=_charset(http.get_header("Content-Type")) if http is not None else None)


class _Current:
    """The member record under an archive iterator: its first bytes and the rest of its payload stream."""

    def __init__(self, warc: str, iterator: Any, record: Any, head: bytes, stream: IO[bytes]) -> None:
        self.warc, self.iterator, self.record, self.head, self.stream = warc, iterator, record, head, stream

    def member(self) -> Member:
        """The member; call it once the payload is read (warcio knows the offset only then)."""
        return _member(self.warc, self.iterator.get_record_offset(), self.record)


def _walk(path: str, skipped: "Optional[Counter[str]]") -> Iterator[_Current]:
    """Every member record of the file, counting the records skipped."""
    with open(path, "rb") as handle:
        iterator = _archive_iterator(handle)
        for record in iterator:
            stream = record.content_stream()
            head = _read_up_to(stream, SNIFF_BYTES)
            kind = _kind(record, head)
            if kind is not None:
                if skipped is not None:
                    skipped[kind] += 1
                continue
            yield _Current(path, iterator, record, head, stream)
        size = os.fstat(handle.fileno()).st_size
        end = iterator.get_record_offset() + iterator.get_record_length() if size else 0
        if end < size and not _blank_tail(handle, end, size):  # warcio stops quietly at a record cut short
            raise InputError(f"the file is cut short: {size - end} bytes after the last complete record "
                             f"(at offset {end}) are not a whole record")


def _blank_tail(handle: IO[bytes], end: int, size: int) -> bool:
    """True when the bytes after the last record are only line ends (an uncompressed WARC's last record)."""
    if size - end > 16:
        return False
    handle.seek(end)
    return not handle.read().strip()


def scan(path: "str | os.PathLike[str]", skipped: "Optional[Counter[str]]" = None) -> Iterator[Member]:
    """The members of a WARC file in file order, each with its payload's sha256.

    ``skipped`` (a Counter), when given, counts the other records by kind.
    """
    for current in _walk(os.fspath(path), skipped):
        digest = hashlib.sha256(current.head)
        for block in iter(lambda: current.stream.read(BLOCK), b""):
            digest.update(block)
        yield dataclasses.replace(current.member(), sha256=digest.hexdigest())


def _read_up_to(stream: IO[bytes], size: int) -> bytes:
    """At most ``size`` bytes of ``stream``, fewer only at its end (one read may return less)."""
    parts, left = [], size
    while left > 0:
        block = stream.read(min(left, BLOCK))
        if not block:
            break
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def _payload(head: bytes, stream: IO[bytes], max_bytes: int) -> bytes:
    rest = _read_up_to(stream, max_bytes + 1 - len(head)) if len(head) <= max_bytes else b""
    data = head + rest
    if len(data) > max_bytes:
        raise InputTooLargeError(f"input is over the limit of {max_bytes} bytes")
    return data


def read_member(location: str, max_bytes: Optional[int] = None) -> Tuple[Member, bytes]:
    """The member at ``location`` (``"x.warc.gz#1234"``) and its payload, read from that offset only.

    Raises :class:`~zqparse.errors.InputError` when no member record is there.
    """
    from .pipeline import MAX_BYTES

    where = split_location(location)
    if where is None:
        raise InputError(f"not a WARC record location (x.warc.gz#OFFSET): {location}")
    warc, offset = where
    try:
        with open(warc, "rb") as handle:
            handle.seek(offset)
            iterator = _archive_iterator(handle)
            for record in iterator:
                stream = record.content_stream()
                head = _read_up_to(stream, SNIFF_BYTES)
                kind = _kind(record, head)
                if kind is not None:
                    raise InputError(f"the record at {location} is not a page-bearing response ({kind})")
                data = _payload(head, stream, MAX_BYTES if max_bytes is None else max_bytes)
                return _member(warc, offset, record), data
    except OSError as error:
        raise InputError(f"cannot read {location}: {error.strerror or error}") from error
    except InputError:
        raise
    except Exception as error:  # warcio's ArchiveLoadFailed and parse errors of a bad offset
        raise InputError(f"no WARC record at {location}: {type(error).__name__}: {error}") from error
    raise InputError(f"no WARC record at {location}: offset past the end of the file")


def _report(member: Member, data: bytes, max_bytes: Optional[int], subjects: bool) -> "Report":
    from .pipeline import MAX_BYTES, parse

    report = parse(data, url=member.url, encoding=member.encoding,
                   max_bytes=MAX_BYTES if max_bytes is None else max_bytes, subjects=subjects)
    return dataclasses.replace(report, source=dataclasses.replace(report.source, path=member.location))


def parse_member(location: str, *, max_bytes: Optional[int] = None, subjects: bool = True) -> "Report":
    """Parse the member at ``location`` (``"x.warc.gz#1234"``): a Report whose ``source.path`` is the location.
    ``subjects`` as in :func:`~zqparse.pipeline.parse`."""
    member, data = read_member(location, max_bytes)
    return _report(member, data, max_bytes, subjects)


def records(path: "str | os.PathLike[str]", skipped: "Optional[Counter[str]]" = None, *,
            max_bytes: Optional[int] = None, subjects: bool = True) -> Iterator[dict[str, Any]]:
    """One record per member of a WARC file, in file order, in this process (one pass over the file).

    A member that fails gives an error record, as in bulk runs; a WARC file that cannot be
    read on (cut short, not a WARC) ends with an error record of the file; ``skipped``
    counts the other records. ``subjects`` as in :func:`~zqparse.pipeline.parse`.
    """
    from .bulk import error_record
    from .pipeline import MAX_BYTES

    limit = MAX_BYTES if max_bytes is None else max_bytes
    walk = _walk(os.fspath(path), skipped)
    while True:
        try:
            current = next(walk)
        except StopIteration:
            return
        except Exception as error:  # warcio's ArchiveLoadFailed, a gzip cut short, an unreadable file
            yield error_record(os.fspath(path), InputError(f"cannot read the WARC file on: "
                                                           f"{type(error).__name__}: {error}"))
            return
        yield _member_record(current, limit, error_record, subjects)


def _member_record(current: _Current, limit: int, error_record: Any, subjects: bool) -> dict[str, Any]:
    try:
        data = _payload(current.head, current.stream, limit)
    except Exception as error:  # too large, or a payload warcio cannot decode (Content-Encoding)
        member = current.member()
        return dict(error_record(member.location, error, url=member.url))
    member = current.member()
    try:
        return _report(member, data, limit, subjects).to_dict()
    except Exception as error:  # every failure is a record; the run goes on
        return dict(error_record(member.location, error, url=member.url,
                                 sha256=hashlib.sha256(data).hexdigest()))


def input_sha256(path: str) -> Optional[str]:
    """The sha256 a record of ``path`` carries when it differs from the file's: a WARC member's payload,
    a gzipped page's content (streamed); None for any other file, or one that cannot be read."""
    try:
        where = split_location(path) if not os.path.isfile(path) else None
        if where is not None:
            with open(where[0], "rb") as handle:
                handle.seek(where[1])
                record = next(iter(_archive_iterator(handle)))
                return _digest(record.content_stream())
        with open(path, "rb") as handle:
            if handle.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
                return None
            handle.seek(0)
            with gzip.GzipFile(fileobj=handle) as unzipped:
                return _digest(unzipped)
    except Exception:  # an unreadable input has no hash; its record says why
        return None


def _digest(stream: "IO[bytes] | io.BufferedIOBase") -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(BLOCK), b""):
        digest.update(block)
    return digest.hexdigest()


def skipped_line(skipped: "Counter[str]") -> str:
    """``"WARC records skipped: 2 request, 1 revisit, …"`` for a summary; empty when none were."""
    parts = [f"{skipped[kind]} {kind}" for kind in SKIP_KINDS if skipped.get(kind)]
    return f"WARC records skipped: {', '.join(parts)}" if parts else ""


# --------------------------------------------------------------------------- writing

#: response headers rewritten in a WARC: the body kept is whole (not chunked) and its length is known
LENGTH_HEADERS = frozenset({"transfer-encoding", "content-length"})


class WarcWriter:
    """Writes HTTP exchanges as a WARC file: a warcinfo record, then a request and a response record each.

    warcio adds each record's WARC-Record-ID and its block and payload digests; WARC-Date
    is the time of the fetch. :meth:`write` takes one answer by its parts (a fetcher's
    result, body decoded: what ``crawl(warc=…)`` writes); ``Fetcher(on_exchange=writer.recorder())``
    records instead every exchange with the network as received (redirects and robots.txt
    included, bodies still compressed when their Content-Encoding says so, cache hits not).
    Gzipped (``.warc.gz``, one gzip member per record) when the name ends ``.gz``.
    """

    def __init__(self, path: "str | os.PathLike[str]", *, software: str = "zqparse") -> None:
        try:
            from warcio.warcwriter import WARCWriter
        except ImportError:
            raise ImportError("writing WARC files needs warcio, which is not installed: "
                              "pip install 'zqparse[warc]'") from None
        self.path = os.fspath(path)
        self._handle = open(self.path, "wb")
        self._writer = WARCWriter(self._handle, gzip=self.path.lower().endswith(".gz"))
        info = {"software": software, "format": "WARC File Format 1.1"}
        self._writer.write_record(self._writer.create_warcinfo_record(os.path.basename(self.path), info))

    def write(self, url: str, status: int, headers: "Iterable[Tuple[str, str]]", body: bytes, date: str, *,
              reason: str = "", http_version: str = "HTTP/1.1",
              request_headers: "Optional[Iterable[Tuple[str, str]]]" = None, decoded: bool = True) -> None:
        """A request record and a response record for one fetch; ``date`` is its ISO 8601 UTC time.

        ``decoded``: the body has had its Content-Encoding undone, as a fetcher's result has
        (the header is then dropped, so that reading the WARC back gives these bytes); False
        for a body as received.
        """
        from urllib.parse import urlsplit

        from warcio.statusandheaders import StatusAndHeaders

        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        asked = list(request_headers) if request_headers is not None else [("Host", parts.netloc)]
        request = StatusAndHeaders(f"GET {target} {http_version}", asked, is_http_request=True)
        dropped = LENGTH_HEADERS | ({"content-encoding"} if decoded else set())
        kept = [(k, v) for k, v in headers if k.lower() not in dropped] + [("Content-Length", str(len(body)))]
        response = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol=http_version)
        warc_date = {"WARC-Date": _warc_date(date)}
        self._writer.write_record(self._writer.create_warc_record(url, "request", http_headers=request,
                                                                  warc_headers_dict=warc_date))
        self._writer.write_record(self._writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                                  http_headers=response,
                                                                  warc_headers_dict=warc_date))

    def exchange(self, exchange: Any) -> None:
        """Write one :class:`zqparse.fetcher.Exchange` (an answer as received)."""
        self.write(exchange.url, exchange.status, exchange.headers, exchange.body, exchange.fetched_at,
                   reason=exchange.reason, http_version=exchange.http_version,
                   request_headers=exchange.request_headers, decoded=False)

    def recorder(self, also: Optional[Callable[[Any], None]] = None) -> Callable[[Any], None]:
        """An ``on_exchange`` callback for a Fetcher that writes each exchange here, then calls ``also``."""
        def record(exchange: Any) -> None:
            self.exchange(exchange)
            if also is not None:
                also(exchange)

        return record

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __enter__(self) -> "WarcWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _warc_date(iso: str) -> str:
    """An ISO 8601 time as WARC-Date wants it: UTC, seconds, a Z."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        when = datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- gzipped pages

def page_bytes(data: bytes, max_bytes: int) -> bytes:
    """The page in ``data``: gunzipped when it is gzip data (at most ``max_bytes`` out), else as it is.

    Raises :class:`~zqparse.errors.InputTooLargeError` when the page inside is over
    ``max_bytes``, :class:`~zqparse.errors.InputError` for corrupt gzip data or a
    WARC file (many pages: read it with :func:`records` or ``zqparse parse``).
    """
    if data.startswith(GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise InputError(f"corrupt gzip data: {error}") from error
        if len(data) > max_bytes:
            raise InputTooLargeError(f"the gzipped page is over the limit of {max_bytes} bytes")
    if data.startswith((b"WARC/", b"filedesc://")):
        raise InputError("input is a web archive (WARC/ARC) holding many pages: "
                         "parse it with zqparse.parse_many or 'zqparse parse'")
    return data
