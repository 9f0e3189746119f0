"""A polite fetcher for report pages that survives hostile servers: one URL in, one :class:`FetchResult` out.

    >>> import zqparse
    >>> result = zqparse.fetch("https://www.example.gov.cn/xxgk/ndbg/t20240101_1.htm", cache_dir="cache")
    >>> result.kind, result.status, result.charset
    ('ok', 200, 'utf-8')
    >>> report = result.parse()          # zqparse.parse with the HTTP charset and the URL

Politeness: robots.txt is read once per origin and honoured; requests to one host are
spaced by ``rate`` seconds (or the site's ``Crawl-delay``, or the wait a 429/503 asked
for with ``Retry-After``, whichever is longer); the User-Agent names zqparse and its
version; failed connections, socket timeouts, broken answers and 408/429/5xx answers are
retried with urllib3's ``Retry`` (exponential backoff, ``Retry-After`` in seconds or as an
HTTP date, capped); bodies are streamed and cut off past ``max_bytes``; redirects (HTTP
and ``<meta http-equiv="refresh">`` stubs) are followed up to a cap, within the allowed
origins. Anti-bot/WAF stub pages come back with ``kind == "waf"``.

Bounds: every request (robots.txt included) has a wall-clock ``deadline`` covering its
status line, headers and body, however slowly the server sends them; all the attempts
and redirects of one URL share a ``total_deadline``. Hosts that are (or resolve to)
loopback, private, link-local or multicast addresses are refused unless the caller
allows them (``allow_private=True``, or by naming them in ``allowed_hosts``).

The transport is urllib3: one pool of keep-alive connections per :class:`Fetcher`
state, a proxy from the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY``) or
the ``proxy`` option.

The on-disk cache (``cache_dir``) keeps one entry per requested URL, named by the
sha256 of the URL: ``<sha>.json`` (URL, status, headers, fetch time, redirects, the
body's sha256) and ``<sha>.body``. A cached URL is never fetched again unless
``refresh=True``; 5xx, 408/429 answers and WAF stubs are not cached, so a re-run tries
them again; an entry whose body does not match its digest is refused (fetched again).

Every failure is a :class:`~zqparse.errors.FetchError` subclass (listed in
:mod:`zqparse.errors` and docs/fetch.md); an HTTP error status (404, a 500 after the
last retry) is not an exception but a result with ``kind == "http-error"``. User names
and passwords in URLs are dropped: never sent, cached, logged or recorded.
"""
from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import os
import re
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import (TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple,
                    Union)
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import (ConnectTimeoutError, LocationParseError, LocationValueError, MaxRetryError,
                                NameResolutionError, NewConnectionError, ProtocolError, ProxyError,
                                ProxySchemeUnknown, ReadTimeoutError, SSLError)
from urllib3.util.retry import Retry

from . import __version__
from .errors import (BadResponseError, ConnectError, DeadlineExceededError, FetchError, FetchTimeoutError,
                     IncompleteBodyError, InvalidURLError, OutsideAllowedHostsError, PrivateAddressError,
                     ResponseTooLargeError, RobotsDisallowedError, TooManyRedirectsError)

if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser

    from .model import Report

__all__ = [
    "fetch",
    "parse_cached",
    "load_cached",
    "Fetcher",
    "FetchResult",
    "Exchange",
    "FetchError",
    "InvalidURLError",
    "OutsideAllowedHostsError",
    "PrivateAddressError",
    "RobotsDisallowedError",
    "ConnectError",
    "FetchTimeoutError",
    "DeadlineExceededError",
    "BadResponseError",
    "IncompleteBodyError",
    "ResponseTooLargeError",
    "TooManyRedirectsError",
    "USER_AGENT",
    "MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_DEADLINE",
    "DEFAULT_TOTAL_DEADLINE",
    "DEFAULT_RETRIES",
    "DEFAULT_BACKOFF",
    "DEFAULT_RATE",
    "MAX_REDIRECTS",
    "MAX_RETRY_AFTER",
    "RETRY_STATUSES",
    "cache_key",
    "charset_of",
    "waf_reason",
    "meta_refresh_target",
    "crawl_delay",
    "clean_url",
    "redact_url",
    "normalize_host",
    "origin_of",
]

#: the honest User-Agent: who we are and what we do (add a contact with ``user_agent=``)
USER_AGENT = (f"zqparse/{__version__} (government information-disclosure annual report research; "
              f"honours robots.txt)")
#: bodies longer than this are refused (the parser's own input limit)
MAX_BYTES = 32 * 1024 * 1024
#: (connect, read) socket timeouts in seconds: the wait for the connection, and for each read
DEFAULT_TIMEOUT = (10.0, 30.0)
#: wall-clock seconds one request may take, status line, headers and body together
DEFAULT_DEADLINE = 60.0
#: wall-clock seconds all the attempts and redirects of one URL may take together
DEFAULT_TOTAL_DEADLINE = 180.0
#: extra attempts after a failed connection, a timeout, a broken answer or a RETRY_STATUSES answer
DEFAULT_RETRIES = 2
#: urllib3's backoff factor: the n-th retry in a row waits backoff × 2^(n-1) s (the first goes at once)
DEFAULT_BACKOFF = 1.0
#: minimum seconds between two requests to one host
DEFAULT_RATE = 1.0
#: redirects (HTTP and meta refresh) followed at most
MAX_REDIRECTS = 5
#: robots.txt bodies longer than this are cut (RFC 9309 asks parsers to read at least 500 KiB)
ROBOTS_MAX_BYTES = 512 * 1024
#: a site's Crawl-delay is honoured up to this many seconds
MAX_CRAWL_DELAY = 30.0
#: a Retry-After up to this many seconds is waited for; a longer one ends the retries
MAX_RETRY_AFTER = 60.0
#: answers that are retried (after their Retry-After, when they give one)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: connection pools kept (one per origin) and connections kept per pool
POOLS = 32
POOL_CONNECTIONS = 8
#: bytes asked of the socket per read of a body
READ_CHUNK = 16384

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: statuses whose answer is not kept in the cache (the next run asks again)
UNCACHED_STATUSES = frozenset({408, 429})
REQUEST_HEADERS = (
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"),
    ("Accept-Encoding", "gzip, deflate"),
)
#: response headers that carry URLs: their user names and passwords are dropped before recording
URL_HEADERS = frozenset({"location", "content-location"})
#: default ports, for origins
DEFAULT_PORTS = {"http": 80, "https": 443}

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


#: where a script, a style sheet or a comment opens (each hides text up to its end)
_HIDDEN_OPEN = re.compile(r"<(script|style)\b|<!--", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+|&nbsp;|&#160;", re.I)
_META_TAG = re.compile(r"<meta\b[^<>]{0,2048}>", re.I)
_ATTR = re.compile(r"""(?<![a-zA-Z_:-])([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_REFRESH_DELAY = re.compile(r"\s*[0-9.]*\s*[;,]?\s*")
_REFRESH_URL_KEY = re.compile(r"url\s*=\s*", re.I)
_QUOTE = re.compile(r"['\"]")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTMLISH = re.compile(r"\b(?:html|xml|text/plain)\b", re.I)
_CONTENT_LENGTH = re.compile(r"[0-9]{1,15}")
_USERINFO = re.compile(r"^(\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)[^/?#]*@")

Headers = Tuple[Tuple[str, str], ...]
#: (scheme, host, port): what robots.txt and containment are kept by
Origin = Tuple[str, str, int]


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
    headers: Headers
    body: bytes
    fetched_at: str
    kind: str = "ok"
    reason: Optional[str] = None
    redirects: Tuple[str, ...] = ()
    from_cache: bool = False

    def header(self, name: str) -> Optional[str]:
        """The first value of a response header (case-insensitive), or None."""
        return _header(self.headers, name.lower())

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


@dataclass(frozen=True, slots=True)
class Exchange:
    """One complete HTTP request and answer, as sent and received: what ``Fetcher(on_exchange=…)``
    is called with (a recorder such as a WARC writer attaches there).

    Every request that got a whole answer is reported (redirects, retried 5xx, robots.txt),
    never a failed one nor a cache hit. ``url`` and the ``Location`` header carry no user name or password;
    ``body`` is the payload as received (still compressed when ``Content-Encoding`` says
    so); ``http_version`` is ``"HTTP/1.1"`` or ``"HTTP/1.0"``.
    """

    url: str
    request_headers: Headers
    status: int
    reason: str
    http_version: str
    headers: Headers
    body: bytes
    fetched_at: str


def charset_of(content_type: Optional[str]) -> Optional[str]:
    """The ``charset`` parameter of a Content-Type value, lower-case, or None."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1).lower() if match else None


def cache_key(url: str) -> str:
    """The cache's name for a URL: the hex sha256 of the URL (never derived from its path)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- URLs

def redact_url(url: str) -> str:
    """The URL without its user name and password, for messages and records; never raises."""
    return _USERINFO.sub(r"\1", url)


def normalize_host(host: str) -> str:
    """A host name as requested and compared: lower case, internationalised labels in punycode
    (IDNA via ``str.encode("idna")``); IP addresses as given. Raises InvalidURLError."""
    host = host.strip().lower()
    if not host or ":" in host:  # empty, or an IPv6 literal
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise InvalidURLError(f"host {host!r} is not a valid domain name ({error})") from None


def clean_url(url: str) -> str:
    """The URL as requested and cached: no fragment, no user name or password, host in lower-case
    punycode, no default port; spaces and non-ASCII characters percent-encoded.

    Raises :class:`~zqparse.errors.InvalidURLError` for a URL that cannot name an http(s)
    resource: a port out of range, a broken IPv6 literal, a host that is not a domain name.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise InvalidURLError(f"{redact_url(url)!r} is not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    host = normalize_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = quote(parts.path, safe="/%;:@&=+$,!~*'()-._", errors="replace")
    query = quote(parts.query, safe="/%;:@&=+$,!~*'()-._?", errors="replace")
    return urlunsplit((scheme, netloc, path, query, ""))


def origin_of(url: str) -> Origin:
    """(scheme, host, port) of a clean http(s) URL. Raises InvalidURLError for any other URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidURLError(f"not an http(s) URL: {redact_url(url)!r}")
    try:
        port = parts.port
    except ValueError as error:
        raise InvalidURLError(f"{redact_url(url)!r} is not a valid URL ({error})") from None
    return scheme, normalize_host(parts.hostname), port or DEFAULT_PORTS[scheme]


def allowed_origins(hosts: Iterable[str]) -> FrozenSet[Origin]:
    """The origins an ``allowed_hosts`` list names: ``host`` is that host on ports 80 (http) and
    443 (https); ``host:port`` that port under both schemes; ``scheme://host[:port]`` one origin."""
    origins = set()
    for entry in hosts:
        entry = entry.strip()
        if "://" in entry:
            origins.add(origin_of(clean_url(entry)))
            continue
        scheme_less = origin_of(clean_url(f"http://{entry}"))
        explicit = urlsplit(f"http://{entry}").port is not None
        for scheme, default in DEFAULT_PORTS.items():
            origins.add((scheme, scheme_less[1], scheme_less[2] if explicit else default))
    return frozenset(origins)


def _header(headers: Sequence[Tuple[str, str]], name: str) -> Optional[str]:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _recorded(headers: Iterable[Tuple[str, str]]) -> Headers:
    """Response headers as kept: the URL-carrying ones without user names and passwords."""
    return tuple((k, redact_url(v) if k.lower() in URL_HEADERS else v) for k, v in headers)


# --------------------------------------------------------------------------- page signs

def _split_hidden(html: str) -> Tuple[str, List[str]]:
    """The page without its scripts, style sheets and comments (each left as a space), and the
    scripts' contents. One pass from left to right; one left open hides the rest of the page."""
    lowered = html.lower()
    outside: List[str] = []
    scripts: List[str] = []
    position = 0
    while True:
        match = _HIDDEN_OPEN.search(html, position)
        if match is None:
            outside.append(html[position:])
            return " ".join(outside), scripts
        outside.append(html[position:match.start()])
        name = (match.group(1) or "").lower()
        end = lowered.find(f"</{name}" if name else "-->", match.end())
        if end < 0:
            stop = len(html)
        elif not name:  # a comment ends with its "-->"
            stop = end + 3
        else:  # an element with its end tag's ">"
            stop = html.find(">", end) + 1 or len(html)
        if name == "script":
            opened = html.find(">", match.end(), end if end >= 0 else len(html))
            scripts.append(html[opened + 1:end if end >= 0 else len(html)] if opened >= 0 else "")
        position = stop


def _strip_tags(text: str) -> str:
    # After the last ">" no "<" can open a tag; trying the pattern only before it keeps the
    # substitution one pass (each try ends at the next ">"), whatever the page holds.
    last = text.rfind(">") + 1
    return _TAG.sub(" ", text[:last]) + text[last:]


def _visible_text(html: str) -> str:
    return _SPACE.sub("", _strip_tags(_split_hidden(html)[0]))


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


def _refresh_address(content: str) -> Optional[str]:
    """The URL of a refresh's ``content`` (``0; url='…'``), or None."""
    value = content.split(";", 1)[-1] if ";" in content else content
    for prefix in (_REFRESH_DELAY, _REFRESH_URL_KEY):
        found = prefix.match(value)
        value = value[found.end():] if found else value
    value = value.strip().lstrip("'\"").lstrip()
    address = _QUOTE.split(value, maxsplit=1)[0].strip()
    return address or None


def meta_refresh_target(html: str, base_url: str) -> Optional[str]:
    """The absolute URL a ``<meta http-equiv="refresh" content="0; url=…">`` points to, or None."""
    for match in _META_TAG.finditer(html[:65536]):
        attrs = _attrs(match.group(0))
        if attrs.get("http-equiv", "").strip().lower() != "refresh":
            continue
        content = attrs.get("content", "")
        if "url" not in content.lower():
            continue
        address = _refresh_address(content)
        if address:
            return urljoin(base_url, address)
    return None


def waf_reason(status: int, body: bytes, content_type: Optional[str] = None,
               charset: Optional[str] = None) -> Optional[str]:
    """Why a response looks like an anti-bot/WAF stub rather than a page, or None.

    Signs: a vendor marker (``WAF_MARKERS``) on a page with little text; a script that
    sets cookies or redirects (``JS_CHALLENGE_MARKERS``) on a page with almost no text;
    a tiny 2xx HTML body with no text. Time linear in the (first 256 KiB of the) body.
    """
    if not _is_textual(content_type, body):
        return None
    html = _body_text(body[:262144], charset)
    lowered = html.lower()
    outside, scripts = _split_hidden(html)
    text = _SPACE.sub("", _strip_tags(outside))
    for marker in WAF_MARKERS:
        if marker in lowered and len(text) <= WAF_MARKER_MAX_TEXT:
            return f"WAF marker {marker!r} on a page with {len(text)} characters of text"
    script_text = " ".join(scripts).lower()
    for marker in JS_CHALLENGE_MARKERS:
        if marker in script_text and len(text) <= WAF_MAX_TEXT:
            return f"JavaScript challenge ({marker!r}) with {len(text)} characters of text"
    if 200 <= status < 300 and len(body) < TINY_BODY_BYTES and len(text) <= TINY_BODY_TEXT:
        return f"tiny body ({len(body)} bytes, {len(text)} characters of text)"
    return None

# --------------------------------------------------------------------------- shared state

class _HostState:
    """What one fetching session knows and holds: when each host was last asked (and until when
    a Retry-After holds it), each origin's robots.txt, which hosts resolve to internal
    addresses, and the connection pools (one urllib3 manager per proxy)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: Dict[str, float] = {}
        self._robots: Dict[Origin, _Robots] = {}
        self._robot_locks: Dict[Origin, threading.Lock] = {}
        self._internal: Dict[str, Optional[str]] = {}
        self._managers: Dict[Optional[str], urllib3.PoolManager] = {}

    def wait_turn(self, host: str, interval: float, deadline_at: float, url: str) -> None:
        """Sleep until ``host`` may be asked again, then book the next turn ``interval`` later.

        Raises DeadlineExceededError, booking nothing, when the turn comes after ``deadline_at``.
        """
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            if start > deadline_at:
                raise DeadlineExceededError(f"{url}: the next turn for {host} comes after the deadline "
                                            f"({start - now:.1f} s from now)")
            self._next[host] = start + interval
        delay = start - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` before ``seconds`` from now (a Retry-After)."""
        with self._lock:
            until = time.monotonic() + seconds
            self._next[host] = max(self._next.get(host, until), until)

    def robots(self, origin: Origin, read: Callable[[], _Robots]) -> _Robots:
        """The origin's robots.txt rules: read once (``read()``, one caller at a time per origin)."""
        with self._lock:
            lock = self._robot_locks.setdefault(origin, threading.Lock())
        with lock:
            robots = self._robots.get(origin)
            if robots is None:
                robots = read()
                self._robots[origin] = robots
        return robots

    def crawl_delay(self, origin: Origin) -> float:
        """The Crawl-delay of the origin's robots.txt when it has been read, else 0."""
        robots = self._robots.get(origin)
        return robots.delay if robots is not None else 0.0

    def internal(self, host: str, port: int, proxied: bool) -> Optional[str]:
        """The internal (loopback, private …) address ``host`` is or resolves to, or None; remembered.

        Behind a proxy a name that does not resolve here is left to the proxy (None).
        """
        with self._lock:
            if host in self._internal:
                return self._internal[host]
        found = _internal_address(host, port, proxied)
        with self._lock:
            self._internal[host] = found
        return found

    def manager(self, proxy: Optional[str]) -> urllib3.PoolManager:
        """The connection pools for requests through ``proxy`` (None: direct), made once."""
        with self._lock:
            manager = self._managers.get(proxy)
            if manager is None:
                manager = self._managers[proxy] = _make_manager(proxy)
            return manager

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            managers = list(self._managers.values())
            self._managers.clear()
        for manager in managers:
            manager.clear()


class _Robots:
    """A parsed robots.txt, or a blanket answer when there is none or it could not be read."""

    def __init__(self, parser: Optional[RobotFileParser] = None, allow_all: bool = False, why: str = "",
                 delay: float = 0.0, error: Optional[FetchError] = None) -> None:
        self.parser, self.allow_all, self.why, self.delay, self.error = parser, allow_all, why, delay, error

    def allowed(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)


_SHARED = _HostState()


def _is_internal(address: Union[ipaddress.IPv4Address, ipaddress.IPv6Address]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_private or address.is_link_local or address.is_multicast
            or address.is_unspecified or address.is_reserved)


def _internal_address(host: str, port: int, proxied: bool) -> Optional[str]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        return str(literal) if _is_internal(literal) else None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        if proxied:
            return None
        raise ConnectError(f"cannot resolve host {host} ({error})") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if _is_internal(address):
            return str(address)
    return None


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
            if delay != delay:  # NaN
                continue
            for agent in agents:
                delays.setdefault(agent, delay)
    for agent, delay in delays.items():
        if agent != "*" and agent in token:
            return max(delay, 0.0)
    return max(delays.get("*", 0.0), 0.0)


# --------------------------------------------------------------------------- the transport

class _Watch:
    """The wall-clock deadline of one attempt. When it passes, the sockets of the attempt's
    connections are shut down, which ends at once any read blocked on them (a status line,
    a header or a body dripping in); the attempt then reports the deadline."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections: List[http.client.HTTPConnection] = []
        self.expired = False
        self.finished = False

    def attach(self, connection: http.client.HTTPConnection) -> None:
        with self.lock:
            self.connections.append(connection)
            expired = self.expired
        if expired:
            _shut(connection)

    def expire(self) -> None:
        with self.lock:
            if self.finished:
                return
            self.expired = True
            connections = list(self.connections)
        for connection in connections:
            _shut(connection)

    def finish(self) -> None:
        with self.lock:
            self.finished = True


#: the watch of the attempt running in this thread (read by the connections as they are used)
_ATTEMPT = threading.local()


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:  # the plain socket's shutdown, also under TLS: it only closes the file descriptor's stream
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


def _watch(connection: http.client.HTTPConnection) -> None:
    watch: Optional[_Watch] = getattr(_ATTEMPT, "watch", None)
    if watch is not None:
        watch.attach(connection)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    """urllib3's connection, handing itself to the running attempt's watch when used."""

    def connect(self) -> None:
        _watch(self)
        super().connect()

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, urllib3.connection.HTTPSConnection):
    """urllib3's TLS connection, watched the same way (HTTPSConnection is an HTTPConnection)."""


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def _make_manager(proxy: Optional[str]) -> urllib3.PoolManager:
    """A urllib3 pool manager (a proxy manager when ``proxy`` is given) whose connections are watched."""
    options: Dict[str, Any] = {"num_pools": POOLS, "maxsize": POOL_CONNECTIONS, "block": False}
    manager: urllib3.PoolManager
    if proxy:
        parts = urlsplit(proxy)
        if parts.username is not None:  # the proxy's credentials go in a header, never in a message
            credentials = f"{parts.username}:{parts.password or ''}"
            options["proxy_headers"] = urllib3.make_headers(proxy_basic_auth=credentials)
            proxy = redact_url(proxy)
        try:
            manager = urllib3.ProxyManager(proxy, **options)
        except (ProxySchemeUnknown, LocationParseError, LocationValueError, ValueError) as error:
            raise InvalidURLError(f"proxy {redact_url(proxy)!r} is not a usable proxy URL ({error})") from None
    else:
        manager = urllib3.PoolManager(**options)
    manager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}
    return manager


def environment_proxy(url: str) -> Optional[str]:
    """The proxy the environment names for ``url`` (``HTTP_PROXY``/``HTTPS_PROXY``, unless
    ``NO_PROXY`` covers the host), by the standard library's rules; None for a direct request."""
    import urllib.request

    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.netloc):
        return None
    return proxy


@dataclass
class _Answer:
    """One complete answer: status, headers as received, the decoded body, and urllib3's response
    (kept for Retry's bookkeeping; its connection is back in the pool)."""

    status: int
    headers: Headers
    body: bytes
    response: urllib3.BaseHTTPResponse


# --------------------------------------------------------------------------- the fetcher

@dataclass
class Fetcher:
    """Fetching settings plus the per-host state (rate limit, robots.txt, connection pools) they share.

    Use one Fetcher for a whole crawl; :func:`fetch` uses one process-wide state.
    ``timeout`` is ``(connect, read)`` socket timeouts in seconds (a single number sets
    both); ``deadline`` the wall-clock seconds one request may take (headers and body);
    ``total_deadline`` the seconds all attempts and redirects of one URL may take;
    ``retries`` the extra attempts after a failed connection, a socket timeout, a broken
    answer or a ``RETRY_STATUSES`` answer; ``backoff`` urllib3's backoff factor;
    ``max_retry_after`` the longest ``Retry-After`` waited for; ``rate`` the minimum
    seconds between two requests to one host; ``allowed_hosts`` (when given) the origins
    requests and redirects may go to (``host``, ``host:port`` or ``scheme://host:port``;
    see :func:`allowed_origins`), which may then be internal addresses; ``allow_private``
    allows loopback, private, link-local and multicast addresses everywhere; ``proxy`` a
    proxy URL (None: from the environment; ``""``: none); ``on_exchange`` is called with
    each complete :class:`Exchange`.
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
    deadline: float = DEFAULT_DEADLINE
    total_deadline: float = DEFAULT_TOTAL_DEADLINE
    max_retry_after: float = MAX_RETRY_AFTER
    proxy: Optional[str] = None
    allow_private: bool = False
    on_exchange: Optional[Callable[[Exchange], None]] = field(default=None, repr=False)
    state: _HostState = field(default_factory=_HostState, repr=False)
    origins: Optional[FrozenSet[Origin]] = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.timeout, (int, float)):
            self.timeout = (float(self.timeout), float(self.timeout))
        for name, value in (("connect timeout", self.timeout[0]), ("read timeout", self.timeout[1]),
                            ("deadline", self.deadline), ("total_deadline", self.total_deadline)):
            if not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
        if self.allowed_hosts is not None:
            self.allowed_hosts = frozenset(h.strip().lower() for h in self.allowed_hosts)
            self.origins = allowed_origins(self.allowed_hosts)
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
        result = self._follow(url, time.monotonic() + self.total_deadline)
        if self.cache_dir is not None and _cacheable(result):
            _store(result, Path(self.cache_dir))
        return result

    def close(self) -> None:
        """Close the pooled connections (a later fetch opens new ones)."""
        self.state.close()

    # ---- redirects

    def _follow(self, url: str, total_at: float) -> FetchResult:
        current, seen = url, {url}
        hops: List[str] = []
        while True:
            self._check(current, url, total_at)
            answer = self._with_retries(current, total_at)
            status, headers, body = answer.status, answer.headers, answer.body
            fetched_at = _now()
            content_type = _header(headers, "content-type")
            target = None
            location = _header(headers, "location")
            if status in REDIRECT_STATUSES and location:
                target = _redirect_target(current, location, url)
            elif 200 <= status < 300 and _is_textual(content_type, body) and len(body) < 65536:
                html = _body_text(body, charset_of(content_type))
                refresh = meta_refresh_target(html, current)
                if refresh and len(_visible_text(html)) <= REFRESH_STUB_MAX_TEXT:
                    try:
                        target = clean_url(refresh)
                    except InvalidURLError:
                        target = None  # a stub pointing nowhere is kept as the page
            if target is None:
                break
            if len(hops) >= self.max_redirects:
                raise TooManyRedirectsError(
                    f"{url}: more than {self.max_redirects} redirects (last to {target})")
            if target in seen:
                raise TooManyRedirectsError(f"{url}: redirect loop back to {target}")
            seen.add(target)
            hops.append(target)
            current = target
        reason = waf_reason(status, body, content_type, charset_of(content_type))
        kind = "waf" if reason else ("ok" if 200 <= status < 300 else "http-error")
        if kind == "http-error":
            reason = f"HTTP {status}"
        return FetchResult(url=url, final_url=current, status=status, headers=_recorded(headers), body=body,
                           fetched_at=fetched_at, kind=kind, reason=reason, redirects=tuple(hops))

    def _check(self, current: str, asked: str, total_at: float) -> None:
        """Refuse a URL outside the allowed origins, on an internal address, or disallowed by robots.txt."""
        origin = self._contained(current, asked)
        if self.respect_robots:
            robots = self.state.robots(origin, lambda: self._read_robots(origin, total_at))
            if robots.error is not None:  # unreachable: nothing is asked of the origin again (RFC 9309)
                raise type(robots.error)(f"{current}: robots.txt of {_origin_url(origin)} could not be read, "
                                         f"so nothing is fetched from it: {robots.error}")
            if not robots.allowed(current, self.user_agent):
                why = f" ({robots.why})" if robots.why else ""
                raise RobotsDisallowedError(f"robots.txt of {_origin_url(origin)} disallows {current}{why}")

    def _contained(self, current: str, asked: str) -> Origin:
        """The URL's origin, when it is allowed and not internal (unless the caller allows that)."""
        origin = origin_of(current)
        if self.origins is not None and origin not in self.origins:
            raise OutsideAllowedHostsError(
                f"{asked}: {current} is on {_origin_url(origin)}, outside the allowed hosts")
        if not self.allow_private and self.origins is None:
            found = self.state.internal(origin[1], origin[2], proxied=self._proxy_for(current) is not None)
            if found:
                raise PrivateAddressError(
                    f"{asked}: {current} is on {origin[1]}, an internal address ({found}); "
                    f"allow it with allow_private=True or allowed_hosts")
        return origin

    # ---- robots.txt

    def _read_robots(self, origin: Origin, total_at: float) -> _Robots:
        """RFC 9309: 4xx means no rules, 5xx (and 429) means nothing may be fetched; redirects are
        followed within the allowed origins (elsewhere: no rules); a robots.txt that cannot be read
        (no connection, timeouts, the deadline) means nothing may be fetched, for the whole session."""
        from urllib.robotparser import RobotFileParser

        url = _origin_url(origin) + "/robots.txt"
        try:
            for _ in range(self.max_redirects + 1):
                answer = self._with_retries(url, total_at, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
                location = _header(answer.headers, "location")
                if answer.status in REDIRECT_STATUSES and location:
                    try:
                        url = _redirect_target(url, location, url)
                        self._contained(url, _origin_url(origin) + "/robots.txt")
                    except FetchError as error:
                        return _Robots(allow_all=True, why=f"robots.txt redirect not followed: {error}")
                    continue
                break
            else:
                return _Robots(allow_all=True, why="robots.txt redirects too often")
        except FetchError as error:
            return _Robots(allow_all=False, error=error)
        status = answer.status
        if status == 429 or status >= 500:
            return _Robots(allow_all=False, why=f"robots.txt answered HTTP {status}")
        if status >= 300:
            return _Robots(allow_all=True)
        lines = answer.body.decode("utf-8", errors="replace").splitlines()
        parser = RobotFileParser(url)
        # the rate lines are read by crawl_delay; the standard parser fails on some (non-ASCII digits)
        parser.parse([line for line in lines if not _RATE_LINE.match(line)])
        return _Robots(parser, delay=min(crawl_delay(lines, self.user_agent), MAX_CRAWL_DELAY))

    def _interval(self, origin: Origin) -> float:
        """Seconds to keep between requests to the origin's host: ``rate`` or its Crawl-delay."""
        return max(self.rate, self.state.crawl_delay(origin))

    # ---- one request, retried

    def _retry(self) -> Retry:
        return Retry(total=max(0, int(self.retries)), connect=None, read=None, redirect=0, status=None,
                     other=None, backoff_factor=self.backoff, status_forcelist=RETRY_STATUSES,
                     allowed_methods=frozenset({"GET"}), respect_retry_after_header=True,
                     raise_on_status=False, raise_on_redirect=False)

    def _with_retries(self, url: str, total_at: float, *, max_bytes: Optional[int] = None,
                      truncate: bool = False) -> _Answer:
        """One URL asked until it answers or the retries (urllib3's ``Retry``) or the total deadline run out."""
        origin = origin_of(url)
        retry = self._retry()
        attempts = 0
        while True:
            self.state.wait_turn(origin[1], self._interval(origin), total_at, url)
            attempts += 1
            try:
                answer = self._attempt(url, min(time.monotonic() + self.deadline, total_at), total_at,
                                       max_bytes or self.max_bytes, truncate)
            except (ConnectError, FetchTimeoutError, IncompleteBodyError) as error:
                cause = error.__cause__
                if isinstance(error, DeadlineExceededError) or not isinstance(cause, urllib3.exceptions.HTTPError):
                    raise
                try:
                    retry = retry.increment("GET", url, error=cause)
                except MaxRetryError:
                    raise type(error)(f"{error} (gave up after {_attempts(attempts)})") from cause
                if not self._wait_before_retry(origin[1], retry.get_backoff_time(), total_at):
                    raise type(error)(f"{error} (gave up after {_attempts(attempts)}: total deadline)") from cause
                continue
            wait = _retry_after(retry, answer.response)
            if wait is not None and wait > self.max_retry_after:
                self.state.hold(origin[1], self.max_retry_after)  # the next URL of the host waits too
                return answer
            if not retry.is_retry("GET", answer.status, has_retry_after=wait is not None):
                return answer
            try:
                retry = retry.increment("GET", url, response=answer.response)
            except MaxRetryError:
                if wait:
                    self.state.hold(origin[1], wait)
                return answer
            if not self._wait_before_retry(origin[1], retry.get_backoff_time() if wait is None else wait, total_at):
                return answer

    def _wait_before_retry(self, host: str, seconds: float, total_at: float) -> bool:
        """Hold the host for ``seconds`` (the next turn waits); False when that passes the total deadline."""
        if time.monotonic() + seconds >= total_at:
            return False
        self.state.hold(host, seconds)
        return True

    def _proxy_for(self, url: str) -> Optional[str]:
        if self.proxy is not None:
            return self.proxy or None
        return environment_proxy(url)

    def _attempt(self, url: str, attempt_at: float, total_at: float, max_bytes: int, truncate: bool) -> _Answer:
        """One GET, bounded by the wall clock at ``attempt_at``. Raises FetchError subclasses,
        each caused by urllib3's exception when there is one (Retry reads it)."""
        parts = urlsplit(url)
        manager = self.state.manager(self._proxy_for(url))
        started = time.monotonic()
        remaining = attempt_at - started
        limit = "the total deadline" if attempt_at >= total_at else "the deadline"
        if remaining <= 0:
            raise DeadlineExceededError(f"{url}: no time left before {limit}")
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        timeout = urllib3.Timeout(connect=min(connect, remaining), read=min(read, remaining))
        request_headers = {"User-Agent": self.user_agent, **dict(REQUEST_HEADERS)}
        watch = _Watch()
        timer = threading.Timer(remaining, watch.expire)
        timer.daemon = True
        _ATTEMPT.watch = watch
        timer.start()
        stage = "asking"
        response: Optional[urllib3.BaseHTTPResponse] = None
        complete = False
        try:
            response = manager.urlopen("GET", url, headers=request_headers, retries=False, redirect=False,
                                       preload_content=False, decode_content=False, timeout=timeout)
            stage = "reading the body from"
            headers = tuple(response.headers.items())
            declared = _declared_length(response.headers.get("content-length"),
                                        response.headers.get("transfer-encoding"), url)
            if declared is not None and declared > max_bytes and not truncate:
                raise ResponseTooLargeError(
                    f"{url}: body is {declared} bytes (Content-Length), over the limit of {max_bytes}")
            body, raw = _read_body(response, url, max_bytes=max_bytes, truncate=truncate, declared=declared,
                                   deadline_at=attempt_at)
            complete = True
        except FetchError as error:
            if watch.expired:
                raise _deadline(url, parts.netloc, stage, attempt_at - started, limit) from error.__cause__
            raise
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError, ValueError) as error:
            if watch.expired:
                raise _deadline(url, parts.netloc, stage, attempt_at - started, limit) from error
            raise _failure(error, url, parts.netloc, stage, (connect, read)) from error
        finally:
            timer.cancel()
            watch.finish()
            _ATTEMPT.watch = None
            if response is not None:
                if not complete:
                    response.close()
                response.release_conn()
        if watch.expired:
            raise _deadline(url, parts.netloc, stage, attempt_at - started, limit)
        if self.on_exchange is not None and raw is not None:
            self.on_exchange(Exchange(url=url, request_headers=(("Host", parts.netloc), *request_headers.items()),
                                      status=response.status, reason=response.reason or "",
                                      http_version=f"HTTP/{response.version // 10}.{response.version % 10}",
                                      headers=_recorded(headers), body=raw, fetched_at=_now()))
        return _Answer(response.status, headers, body, response)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' if count != 1 else ''}"


def _origin_url(origin: Origin) -> str:
    scheme, host, port = origin
    netloc = f"[{host}]" if ":" in host else host
    return f"{scheme}://{netloc}" + ("" if DEFAULT_PORTS[scheme] == port else f":{port}")


_RATE_LINE = re.compile(r"\s*(?:crawl-delay|request-rate)\s*:", re.I)


def _redirect_target(current: str, location: str, asked: str) -> str:
    """The clean absolute URL a Location header points to; InvalidURLError when it cannot be fetched.

    Headers arrive decoded as Latin-1; a Location sent as raw UTF-8 (as servers do) is read as UTF-8."""
    try:
        location = location.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    try:
        target = clean_url(urljoin(current, location.strip()))
    except ValueError as error:  # urljoin of a broken URL
        raise InvalidURLError(f"{asked}: redirect to an invalid URL {redact_url(location)!r} ({error})") from None
    except InvalidURLError as error:
        raise InvalidURLError(f"{asked}: redirect to an invalid URL ({error})") from None
    if urlsplit(target).scheme not in DEFAULT_PORTS:
        raise InvalidURLError(f"{asked}: redirect to an unsupported URL {target!r}")
    return target


def _retry_after(retry: Retry, response: urllib3.BaseHTTPResponse) -> Optional[float]:
    """Seconds a Retry-After (seconds or an HTTP date) asks for; None when absent or unreadable."""
    try:
        return retry.get_retry_after(response)
    except (urllib3.exceptions.InvalidHeader, ValueError, OverflowError):
        return None


def _declared_length(value: Optional[str], transfer_encoding: Optional[str], url: str) -> Optional[int]:
    """The Content-Length (repeated identical values allowed); BadResponseError when it is not a number."""
    if value is None or "chunked" in (transfer_encoding or "").lower():
        return None
    values = {part.strip() for part in value.split(",")}
    if len(values) != 1 or not all(_CONTENT_LENGTH.fullmatch(v) for v in values):
        raise BadResponseError(f"{url}: invalid Content-Length {value[:40]!r}")
    return int(values.pop())


def _deadline(url: str, netloc: str, stage: str, seconds: float, limit: str) -> DeadlineExceededError:
    return DeadlineExceededError(f"{url}: no complete answer within {limit} ({seconds:.3g} s; "
                                 f"was {stage} {netloc})")


def _chain(error: BaseException) -> List[BaseException]:
    """The error, its arguments that are errors, and their causes."""
    found: List[BaseException] = []
    pending = [error]
    while pending and len(found) < 10:
        current = pending.pop(0)
        found.append(current)
        pending += [a for a in current.args if isinstance(a, BaseException)]
        if current.__cause__ is not None:
            pending.append(current.__cause__)
    return found


def _failure(error: Exception, url: str, netloc: str, stage: str, timeouts: Tuple[float, float]) -> FetchError:
    """The FetchError subclass for an exception of urllib3, http.client or the socket."""
    chain = _chain(error)
    if any(isinstance(e, ProxyError) for e in chain):
        return ConnectError(f"{url}: the proxy failed ({error})")
    if any(isinstance(e, NameResolutionError) for e in chain):
        return ConnectError(f"{url}: cannot resolve host {netloc}")
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return ConnectError(f"{url}: connection refused by {netloc}")
    if isinstance(error, ConnectTimeoutError) and not isinstance(error, NewConnectionError):
        return FetchTimeoutError(f"{url}: connect timeout ({timeouts[0]:g} s) connecting to {netloc}")
    if isinstance(error, NewConnectionError):
        return ConnectError(f"{url}: cannot connect to {netloc} ({error})")
    if isinstance(error, (ReadTimeoutError, TimeoutError)):
        return FetchTimeoutError(f"{url}: read timeout ({timeouts[1]:g} s) {stage} {netloc}")
    if isinstance(error, SSLError):
        return ConnectError(f"{url}: TLS with {netloc} failed ({error})")
    if isinstance(error, (LocationParseError, LocationValueError)):
        return InvalidURLError(f"{url}: {error}")
    if stage != "asking" and isinstance(error, (ProtocolError, http.client.IncompleteRead)):
        return IncompleteBodyError(f"{url}: the body from {netloc} broke off ({error})")
    if any(isinstance(e, (ConnectionError, http.client.RemoteDisconnected)) for e in chain):
        return ConnectError(f"{url}: {netloc} closed the connection without an answer")
    if any(isinstance(e, http.client.HTTPException) for e in chain):
        return BadResponseError(f"{url}: malformed answer from {netloc} ({error})")
    if isinstance(error, ValueError):
        return BadResponseError(f"{url}: unreadable answer from {netloc} ({error})")
    return ConnectError(f"{url}: {stage} {netloc} failed ({type(error).__name__}: {error})")


def _read_body(response: urllib3.BaseHTTPResponse, url: str, *, max_bytes: int, truncate: bool,
               declared: Optional[int], deadline_at: float) -> Tuple[bytes, Optional[bytes]]:
    """(the body decompressed, the body as received) read in chunks; refused (or cut, for robots.txt,
    and then nothing is given as received) past ``max_bytes``; an early end is IncompleteBodyError."""
    encoding = (response.headers.get("content-encoding") or "").strip().lower()
    inflater = None
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    raw: List[bytes] = []
    chunks: List[bytes] = []
    size = 0
    first = True
    while True:
        data = response.read(READ_CHUNK, decode_content=False)
        if not data:
            break
        if time.monotonic() > deadline_at:
            raise DeadlineExceededError(f"{url}: body still arriving at the deadline")
        raw.append(data)
        chunk = data
        if inflater is not None:
            if first and encoding == "deflate" and chunk[:1] != b"\x78":
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            first = False
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as error:
                raise BadResponseError(f"{url}: body is not valid {encoding} data ({error})") from None
        size += len(chunk)
        chunks.append(chunk)
        if size > max_bytes:
            if truncate:
                return b"".join(chunks)[:max_bytes], None
            raise ResponseTooLargeError(f"{url}: body is over the limit of {max_bytes} bytes (stopped reading)")
    received = sum(len(part) for part in raw)
    if declared is not None and received < declared:
        raise IncompleteBodyError(f"{url}: body ended after {received} of the {declared} bytes "
                                  f"its Content-Length announced")
    if inflater is not None:
        tail = inflater.flush()
        size += len(tail)
        chunks.append(tail)
        if size > max_bytes:
            if truncate:
                return b"".join(chunks)[:max_bytes], None
            raise ResponseTooLargeError(f"{url}: body is over the limit of {max_bytes} bytes")
    return b"".join(chunks), b"".join(raw)


# --------------------------------------------------------------------------- the cache

def _cacheable(result: FetchResult) -> bool:
    return result.kind != "waf" and result.status < 500 and result.status not in UNCACHED_STATUSES


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed; removed on failure."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _store(result: FetchResult, cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = cache_key(result.url)
    _write_atomically(cache_dir / f"{key}.body", result.body)
    _write_atomically(cache_dir / f"{key}.json",
                      json.dumps(result.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))


def load_cached(url: str, cache_dir: Union[str, os.PathLike[str]]) -> Optional[FetchResult]:
    """The cached result for a URL, or None when it is not cached or its entry is damaged or
    tampered with (the body does not match the sha256 its ``.json`` holds)."""
    url = clean_url(url)
    key = cache_key(url)
    meta_path, body_path = Path(cache_dir) / f"{key}.json", Path(cache_dir) / f"{key}.body"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = body_path.read_bytes()
        if meta.get("url") != url or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None
        return FetchResult(url=url, final_url=str(meta["final_url"]), status=int(meta["status"]),
                           headers=tuple((str(k), str(v)) for k, v in meta["headers"]), body=body,
                           fetched_at=str(meta["fetched_at"]), kind=str(meta.get("kind", "ok")),
                           reason=meta.get("reason"), redirects=tuple(meta.get("redirects", ())), from_cache=True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def parse_cached(url: str, cache_dir: Union[str, os.PathLike[str]], **options: Any) -> Report:
    """``zqparse.parse`` of a cached page, with its HTTP charset and URL (``options`` as for ``zqparse.parse``).

    Raises :class:`~zqparse.errors.FetchError` when the URL is not in the cache.
    """
    result = load_cached(url, cache_dir)
    if result is None:
        raise FetchError(f"{redact_url(url)} is not in the cache {cache_dir}")
    return result.parse(**options)


# --------------------------------------------------------------------------- the function

def fetch(url: str, *, cache_dir: Optional[Union[str, os.PathLike[str]]] = None,
          timeout: Union[float, Tuple[float, float]] = DEFAULT_TIMEOUT, deadline: float = DEFAULT_DEADLINE,
          total_deadline: float = DEFAULT_TOTAL_DEADLINE, retries: int = DEFAULT_RETRIES,
          backoff: float = DEFAULT_BACKOFF, max_bytes: int = MAX_BYTES, user_agent: str = USER_AGENT,
          respect_robots: bool = True, rate: float = DEFAULT_RATE, max_redirects: int = MAX_REDIRECTS,
          allowed_hosts: Optional[Iterable[str]] = None, allow_private: bool = False,
          proxy: Optional[str] = None, refresh: bool = False) -> FetchResult:
    """Fetch one URL politely and return a :class:`FetchResult`.

    ``timeout`` is ``(connect, read)`` socket timeouts in seconds; ``deadline`` bounds one
    request on the wall clock (headers and body), ``total_deadline`` all attempts and
    redirects of the URL; ``retries`` extra attempts follow a failed connection, a socket
    timeout, a broken answer or a 408/429/5xx answer (after urllib3's backoff, or the
    ``Retry-After`` asked for, up to ``MAX_RETRY_AFTER``); ``max_bytes`` caps the body;
    ``rate`` is the minimum number of seconds between two requests to one host, shared by
    every call in the process; ``respect_robots`` honours robots.txt (read once per
    origin); ``allowed_hosts`` limits the origins (and allows them to be internal);
    ``allow_private`` allows internal addresses anywhere; ``proxy`` overrides the
    environment's; ``cache_dir`` keeps and replays answers.

    Raises a :class:`~zqparse.errors.FetchError` subclass (docs/fetch.md lists them).
    """
    fetcher = Fetcher(cache_dir=cache_dir, timeout=timeout, deadline=deadline, total_deadline=total_deadline,
                      retries=retries, backoff=backoff, max_bytes=max_bytes, user_agent=user_agent,
                      respect_robots=respect_robots, rate=rate, max_redirects=max_redirects,
                      allowed_hosts=allowed_hosts, allow_private=allow_private, proxy=proxy, refresh=refresh,
                      state=_SHARED)
    return fetcher.fetch(url)
