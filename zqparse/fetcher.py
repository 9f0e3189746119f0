"""A polite fetcher for report pages: one URL in, one :class:`FetchResult` out.

    >>> import zqparse
    >>> result = zqparse.fetch("https://www.example.gov.cn/xxgk/ndbg/t20240101_1.htm", cache_dir="cache")
    >>> result.kind, result.status, result.charset
    ('ok', 200, 'utf-8')
    >>> report = result.parse()          # zqparse.parse with the HTTP charset and the URL

Politeness: robots.txt is read once per host and honoured; requests to one host are
spaced by ``rate`` seconds (or the site's ``Crawl-delay``, whichever is longer); the
User-Agent names zqparse and its version; timeouts (connect, read) and 5xx answers
are retried with exponential backoff, 4xx never; bodies are streamed and cut off past
``max_bytes``; redirects (HTTP and ``<meta http-equiv="refresh">`` stubs) are followed
up to a cap. Anti-bot/WAF stub pages come back with ``kind == "waf"``.

The on-disk cache (``cache_dir``) keeps one entry per requested URL, named by the
sha256 of the URL: ``<sha>.json`` (URL, status, headers, fetch time, redirects) and
``<sha>.body``. A cached URL is never fetched again unless ``refresh=True``; 5xx,
408/429 answers and WAF stubs are not cached, so a re-run tries them again.

Errors are :class:`~zqparse.errors.FetchError` or one of its subclasses below; an HTTP
error status (404, a 500 after the last retry) is not an exception but a result with
``kind == "http-error"``.

Only the standard library is used (``http.client``); network modules load on first
request, not on import.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from . import __version__
from .errors import FetchError

if TYPE_CHECKING:
    from http.client import HTTPResponse
    from urllib.robotparser import RobotFileParser

    from .model import Report

__all__ = [
    "fetch",
    "parse_cached",
    "load_cached",
    "Fetcher",
    "FetchResult",
    "RobotsDisallowedError",
    "FetchTimeoutError",
    "ResponseTooLargeError",
    "TooManyRedirectsError",
    "USER_AGENT",
    "MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_RETRIES",
    "DEFAULT_BACKOFF",
    "DEFAULT_RATE",
    "MAX_REDIRECTS",
    "cache_key",
    "charset_of",
    "waf_reason",
    "meta_refresh_target",
    "crawl_delay",
    "clean_url",
]

#: the honest User-Agent: who we are and what we do (add a contact with ``user_agent=``)
USER_AGENT = (f"zqparse/{__version__} (government information-disclosure annual report research; "
              f"honours robots.txt)")
#: bodies longer than this are refused (the parser's own input limit)
MAX_BYTES = 32 * 1024 * 1024
#: (connect, read) timeouts in seconds
DEFAULT_TIMEOUT = (10.0, 30.0)
#: extra attempts after a timeout or a 5xx answer
DEFAULT_RETRIES = 2
#: seconds before the first retry (doubled for each further one)
DEFAULT_BACKOFF = 1.0
#: minimum seconds between two requests to one host
DEFAULT_RATE = 1.0
#: redirects (HTTP and meta refresh) followed at most
MAX_REDIRECTS = 5
#: robots.txt bodies longer than this are cut (RFC 9309 asks parsers to read at least 500 KiB)
ROBOTS_MAX_BYTES = 512 * 1024
#: a site's Crawl-delay is honoured up to this many seconds
MAX_CRAWL_DELAY = 30.0
#: a Retry-After on a 5xx answer is honoured up to this many seconds
MAX_RETRY_AFTER = 60.0
#: one attempt (connect, headers and body) may take at most this many seconds
MAX_ATTEMPT_SECONDS = 300.0

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: statuses whose answer is not kept in the cache (the next run asks again)
UNCACHED_STATUSES = frozenset({408, 429})
REQUEST_HEADERS = (
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Connection", "close"),
)

#: strings that only anti-bot / WAF interstitials carry (matched case-insensitively)
WAF_MARKERS = (
    "$_ts",                      # 瑞数 (Riversecurity) dynamic challenge
    "__jsl_clearance",           # 加速乐 (Jiasule)
    "jsl_clearance_s",
    "yunsuo_session",            # 云锁
    "安全狗", "safedog",
    "网站防火墙", "web应用防火墙", "waf拦截", "已被拦截", "访问被拦截", "访问已被拦截", "拦截了您的访问",
    "您的访问被拒绝", "访问被拒绝",
    "创宇盾", "知道创宇", "360网站卫士", "百度云加速", "yunjiasu",
    "cf-browser-verification", "cf-challenge", "challenge-platform", "checking your browser",
    "just a moment...", "attention required! | cloudflare",
    "incapsula incident", "_incapsula_resource", "request unsuccessful. incapsula",
    "access denied", "the requested url was rejected",  # F5 ASM
)
#: script fragments of JavaScript challenges and JS redirect stubs
JS_CHALLENGE_MARKERS = (
    "document.cookie", "location.href", "location.replace", "window.location", "location.reload",
    "eval(function(p,a,c,k,e", "settimeout(", "window.onload",
)
#: a page with this much visible text or more is content, whatever its scripts do
WAF_MAX_TEXT = 200
#: a page with a vendor WAF marker and up to this much visible text is a WAF stub
WAF_MARKER_MAX_TEXT = 2000
#: a 2xx HTML body shorter than this with almost no text is a stub
TINY_BODY_BYTES = 512
TINY_BODY_TEXT = 20
#: a meta refresh is followed only from a page with at most this much visible text
REFRESH_STUB_MAX_TEXT = 400

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+|&nbsp;|&#160;", re.I)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_REFRESH_URL = re.compile(r"""^\s*[0-9.]*\s*[;,]?\s*(?:url\s*=\s*)?['"]?\s*([^'"\s][^'"]*?)\s*['"]?\s*$""", re.I)
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTMLISH = re.compile(r"\b(?:html|xml|text/plain)\b", re.I)


class RobotsDisallowedError(FetchError):
    """robots.txt of the host does not allow zqparse to fetch the URL."""


class FetchTimeoutError(FetchError):
    """Connecting or reading timed out on every attempt."""


class ResponseTooLargeError(FetchError):
    """The response body is larger than ``max_bytes``."""


class TooManyRedirectsError(FetchError):
    """A redirect chain (HTTP or meta refresh) was longer than the cap, or looped."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched URL: the final answer's status, headers and body, and how it was obtained.

    ``kind`` is ``"ok"`` (a 2xx page), ``"waf"`` (an anti-bot/WAF stub, whatever its
    status; ``reason`` says which sign gave it away) or ``"http-error"`` (a 4xx, or a
    5xx after the last retry). ``url`` is the URL asked for, ``final_url`` the one that
    answered after redirects (``redirects`` lists the hops, meta refreshes included).
    ``fetched_at`` is an ISO 8601 UTC time; a cached result keeps the time it was fetched.
    """

    url: str
    final_url: str
    status: int
    headers: Tuple[Tuple[str, str], ...]
    body: bytes
    fetched_at: str
    kind: str = "ok"
    reason: Optional[str] = None
    redirects: Tuple[str, ...] = ()
    from_cache: bool = False

    def header(self, name: str) -> Optional[str]:
        """The first value of a response header (case-insensitive), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def content_type(self) -> Optional[str]:
        """The media type of ``Content-Type`` without parameters, lower-case."""
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() or None if value else None

    @property
    def charset(self) -> Optional[str]:
        """The charset named by the HTTP ``Content-Type``, as sent (None when absent)."""
        return charset_of(self.header("content-type"))

    @property
    def ok(self) -> bool:
        """True for a 2xx answer that is not a WAF stub."""
        return self.kind == "ok"

    def parse(self, **options: Any) -> Report:
        """``zqparse.parse`` of the body, with the HTTP charset and the final URL;
        ``options`` are ``zqparse.parse``'s other keyword arguments."""
        from .pipeline import parse

        return parse(self.body, url=self.final_url, encoding=self.charset, **options)

    def to_dict(self) -> Dict[str, Any]:
        """Everything but the body, as JSON-ready values (the cache's ``.json`` file)."""
        return {
            "cache_version": 1,
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "fetched_at": self.fetched_at,
            "kind": self.kind,
            "reason": self.reason,
            "redirects": list(self.redirects),
            "bytes": len(self.body),
            "sha256": hashlib.sha256(self.body).hexdigest(),
        }


def charset_of(content_type: Optional[str]) -> Optional[str]:
    """The ``charset`` parameter of a Content-Type value, lower-case, or None."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1).lower() if match else None


def cache_key(url: str) -> str:
    """The cache's name for a URL: the hex sha256 of the URL (never derived from its path)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- page signs

def _visible_text(html: str) -> str:
    text = _STYLE.sub(" ", _SCRIPT.sub(" ", html))
    return _SPACE.sub("", _TAG.sub(" ", text))


def _attrs(tag: str) -> Dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag)}


def _body_text(body: bytes, charset: Optional[str]) -> str:
    for encoding in (charset, "utf-8", "gb18030"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


def _is_textual(content_type: Optional[str], body: bytes) -> bool:
    if content_type:
        return bool(_HTMLISH.search(content_type))
    return body[:512].lstrip()[:1] == b"<" or not body.strip()


def meta_refresh_target(html: str, base_url: str) -> Optional[str]:
    """The absolute URL a ``<meta http-equiv="refresh" content="0; url=…">`` points to, or None."""
    for match in _META_TAG.finditer(html[:65536]):
        attrs = _attrs(match.group(0))
        if attrs.get("http-equiv", "").strip().lower() != "refresh":
            continue
        content = attrs.get("content", "")
        if "url" not in content.lower():
            continue
        target = _REFRESH_URL.match(content.split(";", 1)[-1] if ";" in content else content)
        address: Optional[str] = target.group(1) if target else None
        if address:
            return urljoin(base_url, address.strip())
    return None


def waf_reason(status: int, body: bytes, content_type: Optional[str] = None,
               charset: Optional[str] = None) -> Optional[str]:
    """Why a response looks like an anti-bot/WAF stub rather than a page, or None.

    Signs: a vendor marker (``WAF_MARKERS``) on a page with little text; a script that
    sets cookies or redirects (``JS_CHALLENGE_MARKERS``) on a page with almost no text;
    a tiny 2xx HTML body with no text.
    """
    if not _is_textual(content_type, body):
        return None
    html = _body_text(body[:262144], charset)
    lowered = html.lower()
    text = _visible_text(html)
    for marker in WAF_MARKERS:
        if marker in lowered and len(text) <= WAF_MARKER_MAX_TEXT:
            return f"WAF marker {marker!r} on a page with {len(text)} characters of text"
    scripts = " ".join(m.group(1) for m in _SCRIPT.finditer(html)).lower()
    for marker in JS_CHALLENGE_MARKERS:
        if marker in scripts and len(text) <= WAF_MAX_TEXT:
            return f"JavaScript challenge ({marker!r}) with {len(text)} characters of text"
    if 200 <= status < 300 and len(body) < TINY_BODY_BYTES and len(text) <= TINY_BODY_TEXT:
        return f"tiny body ({len(body)} bytes, {len(text)} characters of text)"
    return None


# --------------------------------------------------------------------------- shared state

class _HostState:
    """What one fetching session knows of hosts: when each was last asked, and its robots.txt.

    A host is keyed by ``(scheme, netloc)``, the netloc in lower case.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: Dict[str, float] = {}
        self._robots: Dict[Tuple[str, str], _Robots] = {}
        self._robot_locks: Dict[Tuple[str, str], threading.Lock] = {}

    def wait_turn(self, host: str, interval: float) -> None:
        """Sleep until ``interval`` seconds have passed since the last request to ``host``."""
        with self._lock:
            now = time.monotonic()
            last = self._last.get(host)
            start = now if last is None else max(now, last + interval)
            self._last[host] = start
        delay = start - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def robots(self, host: Tuple[str, str], read: Callable[[], _Robots]) -> _Robots:
        """The host's robots.txt rules: read once (``read()``, one caller at a time per host), then remembered.

        When ``read`` raises, nothing is remembered, so the next request asks again.
        """
        with self._lock:
            lock = self._robot_locks.setdefault(host, threading.Lock())
        with lock:
            robots = self._robots.get(host)
            if robots is None:
                robots = read()
                self._robots[host] = robots
        return robots

    def crawl_delay(self, host: Tuple[str, str]) -> float:
        """The Crawl-delay of the host's robots.txt when it has been read, else 0."""
        robots = self._robots.get(host)
        return robots.delay if robots is not None else 0.0


class _Robots:
    """A parsed robots.txt, or a blanket answer when it could not be read."""

    def __init__(self, parser: Optional[RobotFileParser] = None, allow_all: bool = False, why: str = "",
                 delay: float = 0.0) -> None:
        self.parser, self.allow_all, self.why, self.delay = parser, allow_all, why, delay

    def allowed(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)


_SHARED = _HostState()


def crawl_delay(lines: Sequence[str], user_agent: str) -> float:
    """The ``Crawl-delay`` (seconds, decimals allowed) robots.txt sets for this agent, else 0.

    The group naming our product token wins over the ``*`` group, as for the rules.
    """
    token = user_agent.split("/", 1)[0].strip().lower()
    delays: Dict[str, float] = {}
    agents: List[str] = []
    in_agents = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        name, value = (part.strip() for part in line.split(":", 1))
        name = name.lower()
        if name == "user-agent":
            if not in_agents:
                agents = []
            agents.append(value.lower())
            in_agents = True
            continue
        in_agents = False
        if name == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            for agent in agents:
                delays.setdefault(agent, delay)
    for agent, delay in delays.items():
        if agent != "*" and agent in token:
            return max(delay, 0.0)
    return max(delays.get("*", 0.0), 0.0)


# --------------------------------------------------------------------------- the fetcher

@dataclass
class Fetcher:
    """Fetching settings plus the per-host state (rate limit, robots.txt) they share.

    Use one Fetcher for a whole crawl; :func:`fetch` uses one process-wide state.
    ``timeout`` is ``(connect, read)`` seconds (a single number sets both); ``retries``
    is the number of extra attempts after a timeout or a 5xx; ``backoff`` the first
    wait (doubled each retry); ``rate`` the minimum seconds between two requests to one
    host; ``allowed_hosts`` (when given) the host names redirects may lead to.
    """

    cache_dir: Optional[Union[str, os.PathLike[str]]] = None
    timeout: Union[float, Tuple[float, float]] = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_bytes: int = MAX_BYTES
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    rate: float = DEFAULT_RATE
    max_redirects: int = MAX_REDIRECTS
    allowed_hosts: Optional[Iterable[str]] = None
    refresh: bool = False
    state: _HostState = field(default_factory=_HostState, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.timeout, (int, float)):
            self.timeout = (float(self.timeout), float(self.timeout))
        if self.allowed_hosts is not None:
            self.allowed_hosts = frozenset(h.lower() for h in self.allowed_hosts)
        if self.cache_dir is not None:
            self.cache_dir = Path(self.cache_dir)

    # ---- public

    def fetch(self, url: str) -> FetchResult:
        """Fetch one URL (from the cache when it is there); see :func:`fetch`."""
        url = clean_url(url)
        if self.cache_dir is not None and not self.refresh:
            cached = load_cached(url, self.cache_dir)
            if cached is not None:
                return cached
        result = self._follow(url)
        if self.cache_dir is not None and _cacheable(result):
            _store(result, Path(self.cache_dir))
        return result

    # ---- redirects

    def _follow(self, url: str) -> FetchResult:
        current, seen = url, {url}
        hops: List[str] = []
        while True:
            self._check_host(current, url)
            status, headers, body = self._with_retries(current)
            fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            content_type = _header(headers, "content-type")
            target = None
            location = _header(headers, "location")
            if status in REDIRECT_STATUSES and location:
                target = urljoin(current, location.strip())
            elif 200 <= status < 300 and _is_textual(content_type, body) and len(body) < 65536:
                html = _body_text(body, charset_of(content_type))
                refresh = meta_refresh_target(html, current)
                if refresh and len(_visible_text(html)) <= REFRESH_STUB_MAX_TEXT:
                    target = refresh
            if target is None:
                break
            target = clean_url(target)
            if len(hops) >= self.max_redirects:
                raise TooManyRedirectsError(
                    f"{url}: more than {self.max_redirects} redirects (last to {target})")
            if target in seen:
                raise TooManyRedirectsError(f"{url}: redirect loop back to {target}")
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"{url}: redirect to an unsupported URL {target!r}")
            seen.add(target)
            hops.append(target)
            current = target
        reason = waf_reason(status, body, content_type, charset_of(content_type))
        kind = "waf" if reason else ("ok" if 200 <= status < 300 else "http-error")
        if kind == "http-error":
            reason = f"HTTP {status}"
        return FetchResult(url=url, final_url=current, status=status, headers=headers, body=body,
                           fetched_at=fetched_at, kind=kind, reason=reason, redirects=tuple(hops))

    def _check_host(self, current: str, asked: str) -> None:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {current!r}")
        if self.allowed_hosts is not None and parts.hostname.lower() not in self.allowed_hosts:
            raise FetchError(f"{asked}: {current} is on host {parts.hostname}, outside the allowed hosts")
        if self.respect_robots:
            robots = self._robots(parts.scheme, parts.netloc)
            if not robots.allowed(current, self.user_agent):
                why = f" ({robots.why})" if robots.why else ""
                raise RobotsDisallowedError(f"robots.txt of {parts.netloc} disallows {current}{why}")

    # ---- robots.txt

    def _robots(self, scheme: str, netloc: str) -> _Robots:
        return self.state.robots((scheme, netloc.lower()),
                                 lambda: self._read_robots(f"{scheme}://{netloc}/robots.txt"))

    def _read_robots(self, robots_url: str) -> _Robots:
        """RFC 9309: 4xx means no rules, 5xx means nothing may be fetched.

        A host that cannot be reached at all raises its FetchError (the page could not
        be fetched either), and nothing is remembered, so the next request asks again.
        """
        from urllib.robotparser import RobotFileParser

        url = robots_url
        for _ in range(self.max_redirects + 1):
            status, headers, body = self._with_retries(url, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
            location = _header(headers, "location")
            if status in REDIRECT_STATUSES and location:
                url = urljoin(url, location)
                continue
            break
        else:
            return _Robots(allow_all=True, why="robots.txt redirects too often")
        if 400 <= status < 500:
            return _Robots(allow_all=True)
        if status >= 500 or status in REDIRECT_STATUSES:
            return _Robots(allow_all=False, why=f"robots.txt answered HTTP {status}")
        lines = body.decode("utf-8", errors="replace").splitlines()
        parser = RobotFileParser(robots_url)
        parser.parse(lines)
        return _Robots(parser, delay=min(crawl_delay(lines, self.user_agent), MAX_CRAWL_DELAY))

    def _interval(self, url: str) -> float:
        """Seconds to keep between requests to the URL's host: ``rate`` or its Crawl-delay."""
        parts = urlsplit(url)
        return max(self.rate, self.state.crawl_delay((parts.scheme, parts.netloc.lower())))

    # ---- one request, retried

    def _with_retries(self, url: str, *, max_bytes: Optional[int] = None,
                      truncate: bool = False) -> Tuple[int, Tuple[Tuple[str, str], ...], bytes]:
        attempts = max(0, int(self.retries)) + 1
        last_error: Optional[FetchTimeoutError] = None
        last_headers: Sequence[Tuple[str, str]] = ()
        for attempt in range(attempts):
            if attempt:
                time.sleep(self._delay(attempt, last_headers))
            self.state.wait_turn((urlsplit(url).hostname or "").lower(), self._interval(url))
            last_headers = ()
            try:
                status, headers, body = _request(url, self._timeouts(), max_bytes or self.max_bytes,
                                                 self.user_agent, truncate=truncate)
            except FetchTimeoutError as error:
                last_error = error
                continue
            if status >= 500 and attempt + 1 < attempts:
                last_headers = headers
                continue
            return status, headers, body
        assert last_error is not None
        raise FetchTimeoutError(f"{last_error} (gave up after {attempts} attempts)") from last_error

    def _timeouts(self) -> Tuple[float, float]:
        timeout = self.timeout
        return timeout if isinstance(timeout, tuple) else (float(timeout), float(timeout))

    def _delay(self, attempt: int, headers: Sequence[Tuple[str, str]]) -> float:
        """Exponential backoff, or the server's Retry-After (capped) when longer."""
        delay = self.backoff * 2.0 ** (attempt - 1)
        retry_after = _header(headers, "retry-after")
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after.strip()), MAX_RETRY_AFTER))
        return delay


def _header(headers: Sequence[Tuple[str, str]], name: str) -> Optional[str]:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def clean_url(url: str) -> str:
    """The URL as requested and cached: no fragment; spaces and non-ASCII characters percent-encoded."""
    parts = urlsplit(url.strip())
    host = parts.netloc
    if parts.hostname and not parts.hostname.isascii():
        host = host.replace(parts.hostname, parts.hostname.encode("idna").decode("ascii"))
    path = quote(parts.path, safe="/%;:@&=+$,!~*'()-._")
    query = quote(parts.query, safe="/%;:@&=+$,!~*'()-._?")
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def _request(url: str, timeout: Tuple[float, float], max_bytes: int, user_agent: str, *,
             truncate: bool = False) -> Tuple[int, Tuple[Tuple[str, str], ...], bytes]:
    """One GET: (status, headers, decoded body). Raises FetchError subclasses."""
    import http.client
    import socket

    parts = urlsplit(url)
    host = parts.hostname or ""  # never empty: the fetcher checked the URL's host before
    connect_timeout, read_timeout = timeout
    if parts.scheme == "https":
        import ssl

        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, parts.port, timeout=connect_timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, parts.port, timeout=connect_timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    started = time.monotonic()
    stage = "connecting to"
    try:
        conn.connect()
        conn.sock.settimeout(read_timeout)
        stage = "reading from"
        conn.putrequest("GET", target, skip_accept_encoding=True)
        conn.putheader("User-Agent", user_agent)
        for name, value in REQUEST_HEADERS:
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        headers = tuple((k, v) for k, v in response.getheaders())
        status = response.status
        length = response.getheader("content-length")
        if length and length.strip().isdigit() and int(length) > max_bytes and not truncate:
            raise ResponseTooLargeError(
                f"{url}: body is {int(length)} bytes (Content-Length), over the limit of {max_bytes}")
        body = _read_body(response, response.getheader("content-encoding"), max_bytes, url, started,
                          truncate=truncate)
        return status, headers, body
    except socket.timeout as error:  # TimeoutError
        which = "connect" if stage == "connecting to" else "read"
        limit = connect_timeout if which == "connect" else read_timeout
        raise FetchTimeoutError(f"{url}: {which} timeout ({limit:g} s) {stage} {parts.netloc}") from error
    except FetchError:
        raise
    except socket.gaierror as error:
        raise FetchError(f"{url}: cannot resolve host {parts.hostname} ({error.strerror or error})") from error
    except ConnectionRefusedError as error:
        raise FetchError(f"{url}: connection refused by {parts.netloc}") from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{url}: {stage} {parts.netloc} failed ({type(error).__name__}: {error})") from error
    finally:
        conn.close()


def _read_body(response: HTTPResponse, encoding: Optional[str], max_bytes: int, url: str, started: float, *,
               truncate: bool) -> bytes:
    """The streamed body, decompressed, refused (or cut, for robots.txt) past ``max_bytes``."""
    encoding = (encoding or "").strip().lower()
    inflater = None
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    chunks: List[bytes] = []
    size = 0
    first = True
    while True:
        chunk = response.read(65536)
        if not chunk:
            break
        if time.monotonic() - started > MAX_ATTEMPT_SECONDS:
            raise FetchTimeoutError(f"{url}: body still arriving after {MAX_ATTEMPT_SECONDS:g} s")
        if inflater is not None:
            if first and encoding == "deflate" and chunk[:1] != b"\x78":
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            first = False
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as error:
                raise FetchError(f"{url}: body is not valid {encoding} data ({error})") from error
        size += len(chunk)
        chunks.append(chunk)
        if size > max_bytes:
            if truncate:
                return b"".join(chunks)[:max_bytes]
            raise ResponseTooLargeError(f"{url}: body is over the limit of {max_bytes} bytes (stopped reading)")
    if inflater is not None:
        tail = inflater.flush()
        size += len(tail)
        chunks.append(tail)
        if size > max_bytes and not truncate:
            raise ResponseTooLargeError(f"{url}: body is over the limit of {max_bytes} bytes")
    return b"".join(chunks)[:max_bytes] if truncate else b"".join(chunks)


# --------------------------------------------------------------------------- the cache

def _cacheable(result: FetchResult) -> bool:
    return result.kind != "waf" and result.status < 500 and result.status not in UNCACHED_STATUSES


def _store(result: FetchResult, cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = cache_key(result.url)
    for suffix, data in ((".body", result.body),
                         (".json", json.dumps(result.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))):
        final = cache_dir / f"{key}{suffix}"
        temporary = cache_dir / f"{key}{suffix}.{os.getpid()}.{threading.get_ident()}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, final)


def load_cached(url: str, cache_dir: Union[str, os.PathLike[str]]) -> Optional[FetchResult]:
    """The cached result for a URL, or None when it is not cached (or its entry is damaged)."""
    url = clean_url(url)
    key = cache_key(url)
    meta_path, body_path = Path(cache_dir) / f"{key}.json", Path(cache_dir) / f"{key}.body"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = body_path.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("url") != url or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
        return None
    return FetchResult(url=url, final_url=meta["final_url"], status=int(meta["status"]),
                       headers=tuple((str(k), str(v)) for k, v in meta["headers"]), body=body,
                       fetched_at=meta["fetched_at"], kind=meta.get("kind", "ok"), reason=meta.get("reason"),
                       redirects=tuple(meta.get("redirects", ())), from_cache=True)


def parse_cached(url: str, cache_dir: Union[str, os.PathLike[str]], **options: Any) -> Report:
    """``zqparse.parse`` of a cached page, with its HTTP charset and URL (``options`` as for ``zqparse.parse``).

    Raises :class:`~zqparse.errors.FetchError` when the URL is not in the cache.
    """
    result = load_cached(url, cache_dir)
    if result is None:
        raise FetchError(f"{url} is not in the cache {cache_dir}")
    return result.parse(**options)


# --------------------------------------------------------------------------- the function

def fetch(url: str, *, cache_dir: Optional[Union[str, os.PathLike[str]]] = None,
          timeout: Union[float, Tuple[float, float]] = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
          backoff: float = DEFAULT_BACKOFF, max_bytes: int = MAX_BYTES, user_agent: str = USER_AGENT,
          respect_robots: bool = True, rate: float = DEFAULT_RATE, max_redirects: int = MAX_REDIRECTS,
          allowed_hosts: Optional[Iterable[str]] = None, refresh: bool = False) -> FetchResult:
    """Fetch one URL politely and return a :class:`FetchResult`.

    ``timeout`` is ``(connect, read)`` in seconds; ``retries`` extra attempts follow a
    timeout or a 5xx after ``backoff``, 2×``backoff``, … seconds (a 4xx is never retried);
    ``max_bytes`` caps the body; ``rate`` is the minimum number of seconds between two
    requests to one host, shared by every call in the process; ``respect_robots``
    honours robots.txt (read once per host); ``cache_dir`` keeps and replays answers.

    Raises :class:`RobotsDisallowedError`, :class:`FetchTimeoutError`,
    :class:`ResponseTooLargeError`, :class:`TooManyRedirectsError` or
    :class:`~zqparse.errors.FetchError` (refused connection, unknown host, …).
    """
    fetcher = Fetcher(cache_dir=cache_dir, timeout=timeout, retries=retries, backoff=backoff,
                      max_bytes=max_bytes, user_agent=user_agent, respect_robots=respect_robots, rate=rate,
                      max_redirects=max_redirects, allowed_hosts=allowed_hosts, refresh=refresh, state=_SHARED)
    return fetcher.fetch(url)
