"""``parse``: one page in, one :class:`~zqparse.model.Report` out.

The stages run in one direction: read → decode → main content → sections →
metadata → figures → template tables → canonical metrics → checks. Each stage is a
module of its own; this one only wires them and owns the input rules.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path
from typing import IO, Any, Callable, List, Optional, Tuple, Union

from .checks import table_checks
from .content import document_page, read_html, text_page
from .decode import decode, looks_like_html
from .documents import Document, dated_from_metadata, document_kind, read_document
from .errors import EmptyInputError, InputError, InputTooLargeError, ParseError, ZqparseError
from .figures import find_figures
from .meta import read_meta
from .metrics import canonical_metrics
from .model import Page, Report, Source
from .sections import find_sections
from .tables import read_tables, table_metrics
from .totals import figure_checks
from .warc import page_bytes

__all__ = ["parse", "MAX_BYTES"]

#: inputs larger than this are refused with InputTooLargeError (override with ``max_bytes``)
MAX_BYTES = 32 * 1024 * 1024

PageSource = Union[str, bytes, bytearray, "os.PathLike[str]", IO[bytes], IO[str]]

_SURROGATE = re.compile("[\ud800-\udfff]")
#: a one-line str that ends in a file extension names a file (missing → InputError), not page text
_PATHLIKE = re.compile(r"^[^<>\n\r]{1,4096}\.[A-Za-z0-9]{1,5}$")
_URL = re.compile(r"^\s*https?://", re.I)
#: a one-line str shaped like a path (fixtures/nope, ./reports/, C:\data): separators, no spaces or
#: sentence punctuation, short — a page's text on one line has them
_PATH_SHAPE = re.compile(r"^(?=[^\s，。；;,<>]{1,1024}$)(?:[.~]{0,2}[/\\]|[A-Za-z]:[/\\]|[^/\\]+[/\\])")


def _read(source: PageSource, max_bytes: int) -> Tuple[Optional[bytes], Optional[str], Optional[str]]:
    """(bytes, path, text): exactly one of bytes and text is set; gzipped bytes come out unzipped."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        _check_size(len(data), max_bytes)
        return page_bytes(data, max_bytes), None, None
    if isinstance(source, str) and _URL.match(source) and "\n" not in source:
        raise InputError(f"parse takes a page, not a URL: fetch it first (zqparse.fetch): {source.strip()[:200]}")
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _names_a_file(source)):
        path = Path(source)
        if path.is_dir():
            raise InputError(f"{path} is a folder: parse takes one page; parse a folder with "
                             f"zqparse.parse_many({str(source)!r}) or `zqparse parse {path}`")
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        try:
            size = path.stat().st_size
            _check_size(size, max_bytes)
            with open(path, "rb") as handle:
                data = handle.read(min(size, max_bytes) + 1)
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror or error}") from error
        _check_size(len(data), max_bytes)
        return page_bytes(data, max_bytes), str(path), None
    if isinstance(source, str):
        _check_size(len(source), max_bytes)  # cheap: a str never encodes shorter than its length
        return None, None, source
    if isinstance(source, io.IOBase) or callable(getattr(source, "read", None)):
        return _read_file_object(source, max_bytes)
    raise InputError(f"cannot parse a {type(source).__name__}: give a path, bytes, str or a binary file")


def _read_file_object(handle: Any, max_bytes: int) -> Tuple[Optional[bytes], Optional[str], Optional[str]]:
    """An open file's bytes (or text, from a file opened in text mode) and its name when it has one."""
    try:
        data = handle.read(max_bytes + 1)
    except (OSError, ValueError) as error:  # closed, not readable
        raise InputError(f"cannot read the file object: {error}") from error
    name = getattr(handle, "name", None)
    path = name if isinstance(name, str) else None
    if isinstance(data, str):
        _check_size(len(data), max_bytes)
        return None, path, data
    if not isinstance(data, (bytes, bytearray)):
        raise InputError(f"the file object's read() gave a {type(data).__name__}, not bytes or str")
    _check_size(len(data), max_bytes)
    return bytes(data), path, None


def _names_a_file(source: str) -> bool:
    """Is a str a path rather than a page's text? One line that names an existing file or folder,
    ends in a file extension, or looks like a path (separators, no spaces, no sentence punctuation)."""
    if "\n" in source or len(source) >= 4096:
        return False
    stripped = source.strip()
    return bool(_PATHLIKE.match(stripped) or os.path.exists(source) or _PATH_SHAPE.match(stripped))


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputTooLargeError(f"input is {size} bytes, over the limit of {max_bytes} bytes")


def parse(source: PageSource, *, url: Optional[str] = None, encoding: Optional[str] = None,
          max_bytes: int = MAX_BYTES, subjects: bool = True) -> Report:
    """Parse one report page into a :class:`Report`.

    ``source`` is a path (``os.PathLike``, or a one-line ``str`` naming an existing
    file or ending in a file extension such as .html/.txt), the page's bytes, an open
    binary file (its name, if any, is recorded as the path), or the page's text (any other
    ``str``). A URL is refused: fetch it first. HTML, plain text, PDF and .docx are told
    apart by content. ``encoding`` is the charset from outside the page, such as an HTTP
    header; ``url`` is recorded in ``source.url``. ``subjects=False`` skips finding what
    each figure counts (every ``Figure.subject`` is None, all else is the same): a faster
    parse, and jieba's dictionary is never loaded.

    Raises :class:`~zqparse.errors.InputError` (and its subclasses) for input that is
    not a readable page; a readable page that is not a report gives a Report with
    ``meta.is_report`` false and a warning.
    """
    data, path, text = _read(source, max_bytes)
    kind = document_kind(data, path) if data is not None else None  # a PDF or .docx, by its content
    if kind is not None:
        assert data is not None
        return _guarded(lambda: _document_report(kind, data, path=path, url=url, subjects=subjects))
    if data is not None:
        decoded = decode(data, encoding)
        text, used, undecodable, size = decoded.text, decoded.encoding, decoded.undecodable, len(data)
        digest = hashlib.sha256(data).hexdigest()
    else:
        assert text is not None
        if not text.strip():
            raise EmptyInputError("input holds no text")
        raw = text.encode("utf-8", errors="surrogatepass")
        _check_size(len(raw), max_bytes)
        used, size, digest = "unicode", len(raw), hashlib.sha256(raw).hexdigest()
        # unpaired surrogates are not text (and stop libxml2): count them as undecodable
        text, undecodable = _SURROGATE.subn("\ufffd", text)
    return _guarded(lambda: _build(text, path=path, url=url, encoding=used, undecodable=undecodable, size=size,
                                   digest=digest, subjects=subjects))


def _guarded(build: Callable[[], Report]) -> Report:
    """``build()``, its unexpected failures raised as documented errors."""
    try:
        return build()
    except ZqparseError:
        raise
    except (RecursionError, MemoryError) as error:
        raise ParseError(f"page too complex to parse: {type(error).__name__}") from error
    except Exception as error:  # a bug: keep the promise of documented errors, chain the cause
        raise ParseError(f"internal error while parsing ({type(error).__name__}: {error})") from error


def _document_report(kind: str, data: bytes, *, path: Optional[str], url: Optional[str], subjects: bool) -> Report:
    """The report in a PDF or .docx document."""
    document = read_document(kind, data)
    page = document_page(document.items, dict(document.head), document.media)
    source = Source(path=path, url=url, sha256=hashlib.sha256(data).hexdigest(), encoding="binary",
                    bytes=len(data), media=document.media)
    return _report(page, list(document.warnings), source, subjects, document)


def _build(text: str, *, path: Optional[str], url: Optional[str], encoding: str, undecodable: int, size: int,
           digest: str, subjects: bool) -> Report:
    media = "html" if looks_like_html(text) else "text"
    page, warnings = read_html(text) if media == "html" else (text_page(text), [])
    if undecodable:
        warnings.insert(0, f"{undecodable} characters could not be decoded as {encoding}")
    source = Source(path=path, url=url, sha256=digest, encoding=encoding, bytes=size,
                    undecodable=undecodable, media=media)
    return _report(page, warnings, source, subjects)


def _report(page: Page, warnings: List[str], source: Source, subjects: bool,
            document: Optional[Document] = None) -> Report:
    """The stages after main content, the same for pages and documents (``subjects``: find figures' subjects)."""
    sections = find_sections(page.blocks, len(page.text))
    meta, meta_warnings = read_meta(page, sections)
    if document is not None:
        meta, meta_warnings = dated_from_metadata(meta, meta_warnings, document)
    warnings.extend(meta_warnings)
    figures = find_figures(page, sections, subjects=subjects)
    tables, table_warnings = read_tables(page, meta.family)
    warnings.extend(table_warnings)
    metrics = canonical_metrics(page, sections, figures, table_metrics(tables))
    checks = table_checks(tables) + figure_checks(page, figures)
    if not page.text:
        warnings.append("no text found in the page body")
    return Report(source=source, meta=meta, text=page.text, sections=sections, figures=figures,
                  tables=tables, metrics=metrics, checks=checks, warnings=tuple(warnings),
                  blocks=page.blocks)
