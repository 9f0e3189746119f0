"""Report discovery: from a site's list of annual reports to fetched files and a manifest.

    >>> from zqparse.crawl import crawl
    >>> entries = crawl("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm", out_dir="pingtan")

The list page and its further pages (TRS ``createPageHTML(countPage, currentPage,
"index", "html")`` scripts, TRS page-bar settings ``recordCount``/``prepage``, and
"下一页" links) are read; the links whose titles are annual disclosure reports are
fetched with one polite :class:`~zqparse.fetcher.Fetcher`, and so are the attachments
(.pdf, .doc, .docx, .xls, .wps, …) the report pages link to. Only origins in
``allowed_hosts`` (default: the list page's origin) are visited. The work is bounded:
``max_pages`` list pages (failed ones count), ``max_reports`` report pages (default
:data:`MAX_REPORTS`), :data:`MAX_ATTACHMENTS` attachments per report, each request
within the fetcher's deadlines.

Output in ``out_dir``: ``files/<sha256 of the URL>.<ext>`` for every page and
attachment (the extension comes from a fixed list, never from a title or URL path),
``cache/`` (the fetch cache: a second run fetches nothing) and the manifest,
``manifest.jsonl``, one JSON object per report page (:mod:`zqparse.manifest` defines it)::

    {"url": str, "title": str|null, "path": str|null, "status": int|null,
     "encoding": str|null, "error": str|null,
     "attachments": [{"url": str, "path": str|null, "status": int|null}]}

``path`` is relative to the manifest's folder; ``encoding`` is the charset of the HTTP
Content-Type (pass it to ``zqparse.parse(path, encoding=…)``); ``error`` says why a page
has no file (an HTTP error, a WAF stub, robots.txt, a network failure: the
:class:`~zqparse.errors.FetchError` subclass and its message). Every failure after the
first list page is recorded and the crawl goes on; the manifest is written whatever
happens. URLs are recorded without user names and passwords.
:func:`fetch_pages` fetches a given list of URLs into the same layout.

A recorder (a WARC writer, say) attaches with the fetch option ``on_exchange``: it is
called with every complete :class:`~zqparse.fetcher.Exchange` (request and answer).

The network (:mod:`zqparse.fetcher`) loads on the first fetch, not on import.
"""
from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple, Union
from urllib.parse import urljoin, urlsplit

from .manifest import MANIFEST_NAME, AttachmentEntry, ManifestEntry, new_entry, write_manifest

if TYPE_CHECKING:
    from .fetcher import Fetcher, FetchResult
    from .warc import WarcWriter

__all__ = ["crawl", "fetch_pages", "report_links", "pagination_links", "attachment_links",
           "is_report_link_title", "MANIFEST_NAME", "MAX_LIST_PAGES", "MAX_REPORTS", "MAX_ATTACHMENTS"]

log = logging.getLogger(__name__)

#: the folders of the output folder: saved pages and attachments, and the fetch cache
FILES_DIR = "files"
CACHE_DIR = "cache"
#: list pages a crawl asks for at most (failed ones count), unless told otherwise
MAX_LIST_PAGES = 50
#: report pages a crawl fetches at most, unless told otherwise (a county's column lists a few
#: dozen; at the default rate of one request a second, 500 reports take about 10 minutes)
MAX_REPORTS = 500
#: attachments fetched at most for one report page
MAX_ATTACHMENTS = 20

#: file extensions of report attachments that are downloaded beside the report page
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".zip", ".rar")
#: link texts of a "next page" link
NEXT_PAGE_WORDS = ("下一页", "下页", "后一页", "下一頁", "next", "next page", ">", "›", "»")
#: TRS static pagination: createPageHTML(countPage, currentPage, "index", "html") and variants
PAGINATION_CALL = r"createPageHTML\s*\(([^()]{0,300})\)"
#: TRS page-bar settings from which the page count follows (recordCount / prepage)
PAGEBAR_RECORDS = r"""recordCount\s*[:=]\s*['"]?([0-9]{1,7})"""
PAGEBAR_PER_PAGE = r"""prepage\s*[:=]\s*['"]?([0-9]{1,4})"""
#: Content-Type media types and the extension a report page is saved with
PAGE_EXTENSIONS = {"text/plain": ".txt"}
DEFAULT_PAGE_EXTENSION = ".html"

_CALL = re.compile(PAGINATION_CALL)
_RECORDS = re.compile(PAGEBAR_RECORDS)
_PER_PAGE = re.compile(PAGEBAR_PER_PAGE)
_ARG_STRING = re.compile(r"""^\s*(['"])(.*)\1\s*$""")
_PAGE_SUFFIX = re.compile(r"_[0-9]+$")
_SPACE = re.compile(r"\s+")


class _Anchors(HTMLParser):
    """Every ``<a href>`` of a page: (href, title attribute, text); and the ``<base href>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: List[Tuple[str, str, str]] = []
        self.base: Optional[str] = None
        self._open: Optional[List[str]] = None  # [href, title, text…]

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"].strip()
        elif tag == "a":
            self._close()
            if values.get("href"):
                self._open = [values["href"].strip(), values.get("title", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def _close(self) -> None:
        if self._open is not None:
            href, title, *text = self._open
            self.anchors.append((href, _SPACE.sub(" ", title).strip(), _SPACE.sub(" ", "".join(text)).strip()))
            self._open = None

    def close(self) -> None:
        super().close()
        self._close()


def _anchors(html: str, page_url: str) -> Tuple[List[Tuple[str, str, str]], str]:
    """(clean absolute URL, title attribute, text) of each followable link; the base URL.

    A link that cannot be fetched (a port out of range, a broken IPv6 address, an
    overlong host name label, not http(s)) is left out."""
    from .errors import InvalidURLError
    from .fetcher import clean_url, redact_url

    parser = _Anchors()
    parser.feed(html)
    parser.close()
    base = _join(page_url, parser.base) if parser.base else page_url
    links = []
    for href, title, text in parser.anchors:
        if href.lower().startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
            continue
        joined = _join(base or page_url, href)
        if joined is None or urlsplit(joined).scheme not in ("http", "https"):
            continue
        try:
            links.append((clean_url(joined), title, text))
        except InvalidURLError as error:
            log.info("link not followed: %s (%s)", redact_url(href), error)
    return links, base or page_url


def _join(base: str, href: str) -> Optional[str]:
    """``urljoin`` of a link, without its fragment; None when the link cannot be read as a URL."""
    try:
        return urljoin(base, href).split("#", 1)[0]
    except ValueError:  # a broken IPv6 literal, characters NFKC turns into URL delimiters
        return None


def is_report_link_title(title: Optional[str]) -> bool:
    """True for a link title naming an annual disclosure report of a given year: the rule of a
    page's title (:func:`zqparse.meta.is_report_title`, which asks for the year)."""
    from .meta import is_report_title

    return is_report_title(title)


def report_links(html: str, page_url: str) -> List[Tuple[str, str]]:
    """The (URL, title) of every link on a list page whose title is an annual report, in page order."""
    found: Dict[str, str] = {}
    for url, title_attr, text in _anchors(html, page_url)[0]:
        title = next((t for t in (title_attr, text) if is_report_link_title(t)), None)
        if title and url not in found and url != page_url:
            found[url] = title
    return list(found.items())


def _resolve(arg: str, html: str) -> Union[int, str, None]:
    arg = arg.strip()
    quoted = _ARG_STRING.match(arg)
    if quoted:
        return quoted.group(2)
    if arg.isdigit():
        return int(arg)
    if re.fullmatch(r"[A-Za-z_$][\w$]*", arg):
        value = re.search(r"\b" + re.escape(arg) + r"""\s*=\s*['"]?([0-9]{1,6})(?![0-9])""", html)
        return int(value.group(1)) if value else None
    return None


def _page_names(prefix: str, ext: str, count: int) -> List[str]:
    return [f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}" for i in range(count)]


def pagination_links(html: str, page_url: str, *, max_pages: int = 100) -> List[str]:
    """The URLs of the list's other pages that this page names, in order (this page excluded).

    Read from TRS ``createPageHTML(count, current, "index", "html")`` calls (a leading
    element id and trailing arguments are tolerated), TRS page-bar ``recordCount`` /
    ``prepage`` settings (pages ``<name>_1.<ext>`` … after the list's own file name), and
    links whose text is "下一页" (``NEXT_PAGE_WORDS``).
    """
    urls: List[str] = []
    links, base = _anchors(html, page_url)
    for match in _CALL.finditer(html):
        args = [_resolve(a, html) for a in match.group(1).split(",")]
        numbers = [(i, a) for i, a in enumerate(args) if isinstance(a, int)]  # (position, value)
        if len(numbers) < 2:
            continue
        strings = [a for a in args[numbers[1][0] + 1:] if isinstance(a, str)]
        if len(strings) < 2 or not re.fullmatch(r"[\w.-]{1,40}", strings[0]) \
                or not re.fullmatch(r"[A-Za-z]{2,6}", strings[1]):
            continue
        count = min(numbers[0][1], max_pages)
        urls += [urljoin(base, name) for name in _page_names(strings[0], strings[1], count)]
    records, per_page = _RECORDS.search(html), _PER_PAGE.search(html)
    if records and per_page and int(per_page.group(1)) > 0:
        count = min(math.ceil(int(records.group(1)) / int(per_page.group(1))), max_pages)
        name = urlsplit(page_url).path.rsplit("/", 1)[-1]
        stem, dot, ext = name.rpartition(".") if "." in name else ("index", ".", "html")
        urls += [urljoin(page_url, n) for n in _page_names(_PAGE_SUFFIX.sub("", stem), ext, count)]
    words = {w.lower() for w in NEXT_PAGE_WORDS}
    urls += [url for url, title, text in links if text.lower() in words or title.lower() in words]
    seen = {page_url}
    ordered = []
    for url in urls:
        if url not in seen:
            seen.add(url)
            ordered.append(url)
    return ordered


def attachment_links(html: str, page_url: str) -> List[str]:
    """The URLs of attachments (``ATTACHMENT_EXTENSIONS``) a page links to, in page order."""
    found: List[str] = []
    for url, _, _ in _anchors(html, page_url)[0]:
        if _extension(url) and url not in found:
            found.append(url)
    return found


def _extension(url: str) -> Optional[str]:
    path = urlsplit(url).path.lower()
    return next((ext for ext in ATTACHMENT_EXTENSIONS if path.endswith(ext)), None)


def _page_text(result: FetchResult) -> str:
    """The page's text; NotAPageError when it is binary or empty."""
    from .decode import decode
    from .errors import InputError, NotAPageError

    try:
        return decode(result.body, result.charset).text
    except InputError as error:
        raise NotAPageError(f"{result.final_url} is not a page ({type(error).__name__}: {error})") from None


def _save(out_dir: Path, url: str, body: bytes, extension: str) -> str:
    """Write a body as ``files/<sha256(url)><extension>``; the path relative to ``out_dir``."""
    from .fetcher import cache_key

    folder = out_dir / FILES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = cache_key(url) + extension
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(body)
        os.replace(temporary, folder / name)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return f"{FILES_DIR}/{name}"


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _failure(result: FetchResult) -> str:
    """Why a fetched page that is not ``ok`` gave no file: a WAF stub or an HTTP error."""
    return f"{'anti-bot/WAF stub' if result.kind == 'waf' else 'HTTP error'}: {result.reason}"


def _page_extension(result: FetchResult) -> str:
    return PAGE_EXTENSIONS.get(result.content_type or "", DEFAULT_PAGE_EXTENSION)


def crawl(list_url: str, *, out_dir: Union[str, "os.PathLike[str]"], allowed_hosts: Optional[Iterable[str]] = None,
          max_pages: int = MAX_LIST_PAGES, max_reports: Optional[int] = MAX_REPORTS, attachments: bool = True,
          cache_dir: Optional[Union[str, "os.PathLike[str]"]] = None, refresh_lists: bool = False,
          warc: Optional[Union[str, "os.PathLike[str]"]] = None, **fetch_options: Any) -> List[ManifestEntry]:
    """Fetch every annual report a list page (and its further pages) links to; write the manifest.

    ``allowed_hosts`` are the origins the crawl may visit (``host``, ``host:port`` or
    ``scheme://host:port``; default: the list page's origin, http and https when it is on
    a default port) — named origins may be internal addresses. ``max_pages`` caps the
    list pages asked for (failed ones count), ``max_reports`` the report pages fetched
    (None: no cap); ``cache_dir`` defaults to ``out_dir/cache``; ``refresh_lists``
    fetches the list pages again (to see new reports) while reports still come from the
    cache; ``warc`` names a WARC file to write every answer to as well
    (:class:`~zqparse.warc.WarcWriter`). ``fetch_options`` go to
    :class:`~zqparse.fetcher.Fetcher` (timeout, deadline, total_deadline, retries, backoff,
    max_bytes, user_agent, respect_robots, rate, max_redirects, proxy, on_exchange).

    Returns the manifest entries. Raises a :class:`~zqparse.errors.FetchError` subclass
    when the first list page cannot be fetched (the manifest is then written empty); any
    later failure is recorded instead.
    """
    from .errors import InvalidURLError
    from .fetcher import Fetcher, clean_url, origin_of

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries: List[ManifestEntry] = []
    try:
        list_url = clean_url(list_url)
        fetcher = Fetcher(cache_dir=Path(cache_dir) if cache_dir is not None else out / CACHE_DIR,
                          allowed_hosts=allowed_hosts or [_allowance(list_url)], **fetch_options)
        origins = fetcher.origins or frozenset()

        def allowed(url: str) -> bool:
            try:
                return origin_of(url) in origins
            except InvalidURLError:
                return False

        archive: Optional[WarcWriter] = None
        if warc is not None:
            from .warc import WarcWriter

            archive = WarcWriter(warc)
        try:
            lists = replace(fetcher, refresh=True) if refresh_lists else fetcher
            reports = _read_lists(_Archived(lists, archive), list_url, max_pages, allowed)
            for url, title in list(reports.items())[:max_reports]:
                entries.append(_fetch_report(_Archived(fetcher, archive), url, title, out, attachments, allowed))
        finally:
            fetcher.close()
            if archive is not None:
                archive.close()
    finally:
        write_manifest(out, entries)
    return entries


class _Archived:
    """A fetcher whose every result is written to a WARC file as well (when there is one)."""

    def __init__(self, fetcher: Fetcher, archive: Optional[WarcWriter]) -> None:
        self.fetcher = fetcher
        self.archive = archive

    def fetch(self, url: str) -> FetchResult:
        result = self.fetcher.fetch(url)
        if self.archive is not None:
            self.archive.write(result.final_url, result.status, result.headers, result.body, result.fetched_at)
        return result


def _allowance(list_url: str) -> str:
    """The default allowed host of a crawl: the list page's host when it is on its scheme's
    default port (so http and https both), else its exact origin."""
    parts = urlsplit(list_url)
    return parts.netloc if parts.port is None else f"{parts.scheme}://{parts.netloc}"


def _read_lists(fetcher: _Archived, list_url: str, max_pages: int,
                allowed: Callable[[str], bool]) -> Dict[str, Optional[str]]:
    """The report links (URL → title) of the list page and the further pages it names, breadth
    first; at most ``max_pages`` pages are asked for. Only the first page's failure raises."""
    from .errors import FetchError

    reports: Dict[str, Optional[str]] = {}
    queue, seen_pages = [list_url], {list_url}
    pages_asked = 0
    while queue and pages_asked < max_pages:
        page_url = queue.pop(0)
        pages_asked += 1
        try:
            result = fetcher.fetch(page_url)
            if not result.ok:
                raise _list_failure(page_url, result)
            html = _page_text(result)
        except FetchError as error:
            if page_url == list_url:
                raise
            log.warning("skipping list page %s: %s", page_url, _error_text(error))
            continue
        for url, title in report_links(html, result.final_url):
            if allowed(url):
                reports.setdefault(url, title)
            else:
                log.info("report link off the allowed hosts: %s", url)
        for url in pagination_links(html, result.final_url, max_pages=max_pages):
            if url not in seen_pages and allowed(url):
                seen_pages.add(url)
                queue.append(url)
    return reports


def _list_failure(page_url: str, result: FetchResult) -> Exception:
    from .errors import NotAPageError

    return NotAPageError(f"list page {page_url}: {result.reason or result.kind}")


def _fetch_report(fetcher: _Archived, url: str, title: Optional[str], out: Path, attachments: bool,
                  allowed: Callable[[str], bool]) -> ManifestEntry:
    """One manifest entry: the report page fetched and saved, its attachments beside it."""
    from .errors import FetchError

    entry = new_entry(url, title)
    try:
        result = fetcher.fetch(url)
    except FetchError as error:
        entry["error"] = _error_text(error)
        return entry
    entry["status"], entry["encoding"] = result.status, result.charset
    if not result.ok:
        entry["error"] = _failure(result)
        return entry
    entry["path"] = _save(out, url, result.body, _page_extension(result))
    if not attachments:
        return entry
    try:
        html = _page_text(result)
    except FetchError as error:  # not text (a PDF answered for a report link): no links to follow
        log.warning("cannot read links of %s: %s", url, error)
        return entry
    links = [link for link in attachment_links(html, result.final_url) if allowed(link)]
    if len(links) > MAX_ATTACHMENTS:
        log.warning("%s links %d attachments; fetching the first %d", url, len(links), MAX_ATTACHMENTS)
    for link in links[:MAX_ATTACHMENTS]:
        attachment: AttachmentEntry = {"url": link, "path": None, "status": None}
        try:
            answer = fetcher.fetch(link)
            attachment["status"] = answer.status
            if answer.ok:
                attachment["path"] = _save(out, link, answer.body, _extension(link) or ".bin")
        except FetchError as error:
            log.warning("attachment %s: %s", link, error)
        entry["attachments"].append(attachment)
    return entry


def fetch_pages(urls: Iterable[str], *, out_dir: Union[str, "os.PathLike[str]"],
                cache_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
                **fetch_options: Any) -> List[ManifestEntry]:
    """Fetch each URL into ``out_dir`` as :func:`crawl` saves report pages; write the manifest.

    A URL ending in an attachment extension (``.pdf``, …) is saved under it. No links are
    followed. ``cache_dir`` defaults to ``out_dir/cache``; ``fetch_options`` go to
    :class:`~zqparse.fetcher.Fetcher`. Returns the manifest entries, one per URL, in order
    (each URL clean: without user name and password); a failure is recorded in its
    entry's ``error`` and the next URL is fetched. The manifest is written whatever happens.
    """
    from .fetcher import Fetcher

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries: List[ManifestEntry] = []
    try:
        fetcher = Fetcher(cache_dir=Path(cache_dir) if cache_dir is not None else out / CACHE_DIR,
                          **fetch_options)
        try:
            for url in urls:
                entries.append(_fetch_page(fetcher, url, out))
        finally:
            fetcher.close()
    finally:
        write_manifest(out, entries)
    return entries


def _fetch_page(fetcher: Fetcher, url: str, out: Path) -> ManifestEntry:
    """The manifest entry of one URL of :func:`fetch_pages`."""
    from .errors import FetchError
    from .fetcher import clean_url, redact_url

    entry = new_entry(redact_url(url))
    try:
        url = entry["url"] = clean_url(url)
        result = fetcher.fetch(url)
        entry["status"], entry["encoding"] = result.status, result.charset
        if result.ok:
            extension = _extension(result.final_url) or _page_extension(result)
            entry["path"] = _save(out, url, result.body, extension)
        else:
            entry["error"] = _failure(result)
    except FetchError as error:
        entry["error"] = _error_text(error)
    return entry
