"""The fetcher and the crawler against a hostile HTTP server on 127.0.0.1 (no internet).

The server is a thread of this process speaking raw HTTP/1.1 on an ephemeral port: each
route writes whatever bytes it likes, as slowly as it likes — it drips, floods, lies,
loops and redirects. Every test is bounded in time (short deadlines; the server stops
itself after ``LIFETIME`` seconds). docs/fetch.md lists the promises these tests keep.
"""
from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest

from zqparse.crawl import MANIFEST_NAME, crawl, fetch_pages
from zqparse.errors import (BadResponseError, DeadlineExceededError, FetchError, IncompleteBodyError,
                            InvalidURLError, NotAPageError, OutsideAllowedHostsError, PrivateAddressError)
from zqparse.fetcher import Exchange, Fetcher, cache_key, clean_url, load_cached, meta_refresh_target, waf_reason

#: seconds a hostile server lives at most, whatever its test does
LIFETIME = 30.0
HTML = "text/html; charset=utf-8"
PAGE = ("<html><head><title>某县2023年度政府信息公开工作年度报告</title></head><body><div>"
        + "本年度主动公开政府信息1234条。" * 40 + "</div></body></html>").encode("utf-8")


class Wire:
    """One client connection, as a route sees it."""

    def __init__(self, conn: socket.socket, stop: threading.Event) -> None:
        self.conn, self.stop = conn, stop

    def send(self, data: bytes) -> bool:
        try:
            self.conn.sendall(data)
            return True
        except OSError:
            return False

    def drip(self, data: bytes, every: float = 0.25) -> None:
        """Send ``data`` one byte every ``every`` seconds, until it ends, the client leaves or the server stops."""
        for byte in data:
            if self.stop.is_set() or not self.send(bytes([byte])):
                return
            self.stop.wait(every)

    def respond(self, status: int, headers: Optional[Dict[str, str]] = None, body: bytes = b"",
                keep_alive: bool = False) -> bool:
        head = {"Content-Type": HTML, "Content-Length": str(len(body)),
                "Connection": "keep-alive" if keep_alive else "close"}
        head.update(headers or {})
        text = "\r\n".join([f"HTTP/1.1 {status} Whatever"] + [f"{k}: {v}" for k, v in head.items()]) + "\r\n\r\n"
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:  # raw UTF-8, as servers send non-Latin-1 headers
            data = text.encode("utf-8")
        return self.send(data + body) and keep_alive


Route = Callable[[Wire], bool]  # True: keep the connection for the next request


def answer(status: int, headers: Optional[Dict[str, str]] = None, body: bytes = b"") -> Route:
    return lambda wire: wire.respond(status, headers, body, keep_alive=True)


def not_found(wire: Wire) -> bool:
    return wire.respond(404, body=b"<html><body>404 Not Found</body></html>", keep_alive=True)


class Hostile:
    """A raw HTTP/1.1 server on 127.0.0.1: ``routes`` maps a path (the absolute URL a proxy is
    asked for is reduced to its path) to a Route; others give 404. Counts TCP connections and
    logs (path, request target, headers) of every request."""

    def __init__(self, routes: Optional[Dict[str, Route]] = None) -> None:
        self.routes: Dict[str, Route] = dict(routes or {})
        self.log: List[Tuple[str, str, Dict[str, str]]] = []
        self.connections = 0
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.origin = self.base
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in list(self.log) if p == path)

    def _serve(self) -> None:
        ends = time.monotonic() + LIFETIME
        while not self.stop.is_set() and time.monotonic() < ends:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()
        self.stop.set()
        self.listener.close()

    def _connection(self, conn: socket.socket) -> None:
        conn.settimeout(LIFETIME)
        with conn, conn.makefile("rb") as reader:
            while not self.stop.is_set():
                try:
                    line = reader.readline(65537).decode("latin-1")
                    headers = {}
                    while True:
                        header = reader.readline(65537).decode("latin-1").strip()
                        if not header:
                            break
                        name, _, value = header.partition(":")
                        headers[name.strip()] = value.strip()
                except OSError:
                    return
                if not line.strip():
                    return
                target = line.split()[1]
                parts = urlsplit(target)
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                self.log.append((path, target, headers))
                if not self.routes.get(path, not_found)(Wire(conn, self.stop)):
                    return

    def __enter__(self) -> "Hostile":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


@pytest.fixture
def hostile():
    with Hostile() as server:
        yield server


def quick(**options) -> Fetcher:
    """Test-sized bounds; 127.0.0.1 allowed; no proxy from the environment."""
    settings = dict(timeout=(0.5, 0.5), deadline=1.0, total_deadline=5.0, retries=2, backoff=0.01, rate=0.0,
                    allow_private=True, proxy="")
    settings.update(options)
    return Fetcher(**settings)


class Clock:
    def __enter__(self) -> "Clock":
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.started


# --------------------------------------------------------------------------- slow servers: the deadline

DRIPS = {
    "body": lambda wire: wire.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 211\r\n\r\n")
    and wire.drip(b"<" * 211) and False,
    "header line": lambda wire: wire.send(b"HTTP/1.1 200 OK\r\nX-Slow: ") and wire.drip(b"a" * 1000) and False,
    "status line": lambda wire: wire.drip(b"HTTP/1.1 200 OK\r\n\r\n" * 10) and False,
    "chunked body": lambda wire: wire.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    and wire.drip(b"1\r\na\r\n" * 200) and False,
}


@pytest.mark.parametrize("what", sorted(DRIPS))
def test_a_dripping_answer_ends_at_the_deadline_and_is_not_retried(hostile, what, tmp_path):
    hostile.routes["/slow.htm"] = DRIPS[what]
    with Clock() as clock, pytest.raises(DeadlineExceededError, match="within the deadline"):
        quick(deadline=1.0, retries=2, cache_dir=tmp_path).fetch(hostile.url("/slow.htm"))
    assert 0.9 < clock.seconds < 2.0
    assert hostile.hits("/slow.htm") == 1  # a tarpit is not asked again
    assert list(tmp_path.iterdir()) == []  # nothing cached, no temporary file


def test_a_dripping_robots_txt_ends_at_the_deadline_and_is_not_asked_again(hostile):
    hostile.routes["/robots.txt"] = DRIPS["body"]
    hostile.routes["/a.htm"] = answer(200, body=PAGE)
    fetcher = quick(deadline=1.0)
    with Clock() as clock, pytest.raises(DeadlineExceededError, match="robots.txt .* could not be read"):
        fetcher.fetch(hostile.url("/a.htm"))
    assert clock.seconds < 2.0
    with Clock() as again, pytest.raises(DeadlineExceededError):
        fetcher.fetch(hostile.url("/a.htm"))
    assert again.seconds < 0.5 and hostile.hits("/robots.txt") == 1 and hostile.hits("/a.htm") == 0


def test_the_total_deadline_bounds_all_the_retries_of_a_url(hostile):
    hostile.routes["/busy.htm"] = answer(503, {"Retry-After": "1"}, b"<html>busy</html>")
    with Clock() as clock:
        result = quick(retries=10, total_deadline=2.5).fetch(hostile.url("/busy.htm"))
    assert result.status == 503 and result.kind == "http-error"
    assert clock.seconds < 2.6 and 2 <= hostile.hits("/busy.htm") <= 3


def test_the_command_line_deadline_bounds_a_drip(hostile, tmp_path, capsys):
    from zqparse.cli import main

    hostile.routes["/slow.htm"] = DRIPS["body"]
    with Clock() as clock:
        status = main(["fetch", hostile.url("/slow.htm"), "-o", str(tmp_path), "--timeout", "2", "3",
                       "--deadline", "1", "--rate", "0", "--allow-private", "--proxy", ""])
    assert status == 1 and clock.seconds < 2.0
    assert json.loads(capsys.readouterr().out)["error"].startswith("DeadlineExceededError: ")


# --------------------------------------------------------------------------- floods and lies

BROKEN = {
    "Content-Length lies (longer than the body)": (
        lambda wire: wire.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000000\r\n\r\n"
                               + PAGE[:100]) and False, IncompleteBodyError),
    "Content-Length: a non-ASCII digit": (answer(200, {"Content-Length": "²"}, PAGE), BadResponseError),
    "Content-Length: an Arabic-Indic digit": (answer(200, {"Content-Length": "٣"}, PAGE), BadResponseError),
    "chunked body cut short": (
        lambda wire: wire.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + b"a" * 100)
        and False, IncompleteBodyError),
    "200 headers": (lambda wire: wire.send(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 200 + b"\r\n") and False,
                    BadResponseError),
    "a 70 KB header line": (lambda wire: wire.send(b"HTTP/1.1 200 OK\r\nX-A: " + b"b" * 70000 + b"\r\n\r\n")
                            and False, BadResponseError),
    "not HTTP": (lambda wire: wire.send(b"SSH-2.0-OpenSSH_9.6\r\n\r\n") and False, BadResponseError),
    "gzip that is not": (answer(200, {"Content-Encoding": "gzip"}, PAGE), BadResponseError),
}


@pytest.mark.parametrize("what", sorted(BROKEN))
def test_a_broken_answer_is_its_fetch_error_and_never_cached(hostile, what, tmp_path):
    route, error = BROKEN[what]
    hostile.routes["/x.htm"] = route
    with Clock() as clock, pytest.raises(error):
        quick(retries=1, cache_dir=tmp_path).fetch(hostile.url("/x.htm"))
    assert clock.seconds < 1.5
    assert load_cached(hostile.url("/x.htm"), tmp_path) is None and list(tmp_path.iterdir()) == []


def test_a_tampered_cache_entry_is_refused(hostile, tmp_path):
    hostile.routes["/c.htm"] = answer(200, body=PAGE)
    quick(cache_dir=tmp_path).fetch(hostile.url("/c.htm"))
    body = tmp_path / f"{cache_key(hostile.url('/c.htm'))}.body"
    body.write_bytes(PAGE.replace("1234".encode(), "9999".encode()))  # same length, other figures
    assert load_cached(hostile.url("/c.htm"), tmp_path) is None
    result = quick(cache_dir=tmp_path).fetch(hostile.url("/c.htm"))
    assert not result.from_cache and result.body == PAGE and hostile.hits("/c.htm") == 2


# --------------------------------------------------------------------------- 429 and Retry-After

def test_429_is_retried_after_its_retry_after_in_seconds(hostile):
    calls: List[float] = []

    def limited(wire: Wire) -> bool:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return wire.respond(429, {"Retry-After": "1"}, b"<html>slow down</html>", keep_alive=True)
        return wire.respond(200, body=PAGE, keep_alive=True)

    hostile.routes["/r.htm"] = limited
    result = quick().fetch(hostile.url("/r.htm"))
    assert result.ok and len(calls) == 2 and calls[1] - calls[0] >= 0.95


def test_429_is_retried_after_its_retry_after_as_an_http_date(hostile):
    calls: List[float] = []

    def limited(wire: Wire) -> bool:
        calls.append(time.monotonic())
        if len(calls) == 1:
            when = email.utils.formatdate(time.time() + 2, usegmt=True)
            return wire.respond(429, {"Retry-After": when}, b"<html>slow down</html>", keep_alive=True)
        return wire.respond(200, body=PAGE, keep_alive=True)

    hostile.routes["/r.htm"] = limited
    result = quick().fetch(hostile.url("/r.htm"))
    assert result.ok and len(calls) == 2 and calls[1] - calls[0] >= 0.95  # the date has whole seconds


def test_a_retry_after_over_the_cap_ends_the_retries_and_holds_the_host(hostile):
    hostile.routes["/r.htm"] = answer(429, {"Retry-After": "3600"}, b"<html>come back tomorrow</html>")
    hostile.routes["/next.htm"] = answer(200, body=PAGE)
    fetcher = quick(max_retry_after=0.5)
    with Clock() as clock:
        result = fetcher.fetch(hostile.url("/r.htm"))
    assert (result.status, result.kind) == (429, "http-error") and hostile.hits("/r.htm") == 1
    assert clock.seconds < 0.3
    with Clock() as clock:
        assert fetcher.fetch(hostile.url("/next.htm")).ok
    assert clock.seconds >= 0.45  # the next request to the host waited


@pytest.mark.parametrize("value", ["²", "soon", "Mon, 99 Foo 2024 99:99:99 GMT", "-1"])
def test_an_unreadable_retry_after_is_ignored(hostile, value):
    hostile.routes["/r.htm"] = answer(503, {"Retry-After": value}, b"<html>busy</html>")
    result = quick(retries=1).fetch(hostile.url("/r.htm"))
    assert result.status == 503 and hostile.hits("/r.htm") == 2


# --------------------------------------------------------------------------- redirects and containment

BAD_TARGETS = {
    "port 99999": ("http://127.0.0.1:99999/x", InvalidURLError),
    "a broken IPv6 literal": ("http://[::1", InvalidURLError),
    "file://": ("file:///etc/passwd", InvalidURLError),
    "an overlong IDN label": ("http://" + "长" * 70 + ".cn/x", InvalidURLError),
    "another port of the same host": ("http://127.0.0.1:9/x", OutsideAllowedHostsError),
    "the metadata address": ("http://169.254.169.254/latest/meta-data/", OutsideAllowedHostsError),
}


@pytest.mark.parametrize("what", sorted(BAD_TARGETS))
def test_a_redirect_off_limits_is_refused_before_any_request(hostile, what):
    target, error = BAD_TARGETS[what]
    hostile.routes["/go"] = answer(302, {"Location": target})
    with Clock() as clock, pytest.raises(error):
        quick(allow_private=False, allowed_hosts=[hostile.origin]).fetch(hostile.url("/go"))
    assert clock.seconds < 0.5


@pytest.mark.parametrize("location", ["/loop", "http://127.0.0.1:{port}/loop#again"])
def test_a_redirect_to_itself_is_a_loop(hostile, location):
    hostile.routes["/loop"] = answer(301, {"Location": location.format(port=hostile.port)})
    with pytest.raises(FetchError, match="loop"):
        quick().fetch(hostile.url("/loop"))


def test_internal_addresses_are_refused_unless_allowed(hostile):
    hostile.routes["/a.htm"] = answer(200, body=PAGE)
    for url in (hostile.url("/a.htm"), f"http://localhost:{hostile.port}/a.htm", "http://[::1]:9/a.htm",
                "http://169.254.169.254/", "http://10.1.2.3/", "http://224.0.0.1/", "http://0.0.0.0/"):
        with pytest.raises(PrivateAddressError):
            quick(allow_private=False).fetch(url)
    assert hostile.log == []
    assert quick(allow_private=False, allowed_hosts=[hostile.origin]).fetch(hostile.url("/a.htm")).ok
    assert quick(allow_private=True).fetch(hostile.url("/a.htm")).ok


def test_robots_redirects_are_followed_only_within_the_allowed_origins(hostile):
    with Hostile({"/robots.txt": answer(200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n")}) \
            as other:
        hostile.routes["/robots.txt"] = answer(301, {"Location": other.url("/robots.txt")})
        hostile.routes["/a.htm"] = answer(200, body=PAGE)
        assert quick(allowed_hosts=[hostile.origin]).fetch(hostile.url("/a.htm")).ok  # other's rules not applied
        assert other.log == []
    hostile.routes["/robots.txt"] = answer(302, {"Location": "file:///etc/passwd"})
    assert quick(allowed_hosts=[hostile.origin]).fetch(hostile.url("/a.htm")).ok


def test_a_robots_txt_with_a_non_ascii_crawl_delay_is_read(hostile):
    hostile.routes["/robots.txt"] = answer(200, {"Content-Type": "text/plain"},
                                           "User-agent: *\nCrawl-delay: ²\nRequest-rate: ²/5\nDisallow: /p/\n"
                                           .encode("utf-8"))
    hostile.routes["/a.htm"] = answer(200, body=PAGE)
    fetcher = quick()
    assert fetcher.fetch(hostile.url("/a.htm")).ok
    with pytest.raises(FetchError, match="disallows"):
        fetcher.fetch(hostile.url("/p/x.htm"))


def test_urls_are_normalised_once():
    puny = "平潭".encode("idna").decode("ascii")
    assert puny.startswith("xn--")
    assert clean_url("HTTP://User:Secret@平潭.GOV.cn:80/a b#top") == f"http://{puny}.gov.cn/a%20b"
    assert clean_url("https://h.gov.cn:443/x") == "https://h.gov.cn/x"
    for bad in ("http://h:99999/", "http://[::1", "http://" + "长" * 70 + ".cn/", "http://a..b/"):
        with pytest.raises(InvalidURLError):
            clean_url(bad)


# --------------------------------------------------------------------------- connections and proxies

def test_one_hosts_pages_share_one_connection(hostile):
    for n in range(5):
        hostile.routes[f"/{n}.htm"] = answer(200, body=PAGE)
    fetcher = quick()
    assert all(fetcher.fetch(hostile.url(f"/{n}.htm")).ok for n in range(5))
    assert len(hostile.log) == 6 and hostile.connections == 1  # robots.txt and five pages
    assert all(headers.get("Connection", "").lower() != "close" for _, _, headers in hostile.log)


def test_requests_go_through_the_environment_proxy(hostile, monkeypatch, tmp_path):
    hostile.routes["/a.htm"] = answer(200, body=PAGE)
    monkeypatch.setenv("HTTP_PROXY", hostile.base)
    monkeypatch.setenv("http_proxy", hostile.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = "http://reports.example.invalid/a.htm"
    result = quick(proxy=None, allow_private=False).fetch(url)
    assert result.ok and result.final_url == url
    assert [target for _, target, _ in hostile.log] == ["http://reports.example.invalid/robots.txt", url]
    monkeypatch.setenv("NO_PROXY", "reports.example.invalid")
    monkeypatch.setenv("no_proxy", "reports.example.invalid")
    with pytest.raises(FetchError, match="cannot resolve"):
        quick(proxy=None).fetch(url)


def test_a_redirect_to_the_metadata_address_is_refused_by_default(hostile):
    # through a proxy (the page's host does not resolve here); fetch()'s default allows any public host
    hostile.routes["/a.htm"] = answer(302, {"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(PrivateAddressError, match="169.254.169.254"):
        quick(proxy=hostile.base, allow_private=False).fetch("http://reports.example.invalid/a.htm")
    assert [target for _, target, _ in hostile.log][-1] == "http://reports.example.invalid/a.htm"


def test_credentials_in_urls_are_never_sent_nor_recorded(hostile, tmp_path, caplog):
    hostile.routes["/a.htm"] = answer(200, body=PAGE)
    hostile.routes["/go"] = answer(302, {"Location": f"http://user:hunter2@127.0.0.1:{hostile.port}/a.htm"})
    exchanges: List[Exchange] = []
    entries = fetch_pages([f"http://user:hunter2@127.0.0.1:{hostile.port}/go", "http://user:hunter2@[::1/"],
                          out_dir=tmp_path, timeout=(0.5, 0.5), deadline=1.0, rate=0.0, allow_private=True,
                          proxy="", on_exchange=exchanges.append)
    assert entries[0]["url"] == hostile.url("/go") and entries[0]["path"]
    assert entries[1]["error"].startswith("InvalidURLError")
    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    assert written and not any(b"hunter2" in data for data in written)
    assert "hunter2" not in caplog.text and not any("hunter2" in repr(e) for e in exchanges)
    assert not any("Authorization" in headers for _, _, headers in hostile.log)


def test_each_complete_exchange_reaches_the_recorder(hostile):
    hostile.routes["/go"] = answer(301, {"Location": "/a.htm"})
    hostile.routes["/a.htm"] = answer(200, {"Content-Encoding": "gzip"}, __import__("gzip").compress(PAGE))
    exchanges: List[Exchange] = []
    result = quick(on_exchange=exchanges.append).fetch(hostile.url("/go"))
    assert result.body == PAGE
    assert [(e.url, e.status) for e in exchanges] == [
        (hostile.url("/robots.txt"), 404), (hostile.url("/go"), 301), (hostile.url("/a.htm"), 200)]
    last = exchanges[-1]
    assert last.http_version == "HTTP/1.1" and last.body.startswith(b"\x1f\x8b")  # as received
    assert ("Host", f"127.0.0.1:{hostile.port}") in last.request_headers


# --------------------------------------------------------------------------- the WAF check in linear time

ADVERSARIAL = {
    "<script> repeated": "<script>" * 32768,
    "< repeated": "<" * 262144,
    "<!-- repeated": "<!--" * 65536,
    "<style repeated": "<style" * 43690,
    "<script</script repeated": "<script</script" * 17476,
    "an open tag without end": "<div " + "a" * 262140,
}


@pytest.mark.parametrize("what", sorted(ADVERSARIAL))
def test_the_waf_check_is_linear_on_adversarial_markup(what):
    body = ADVERSARIAL[what].encode("ascii")
    assert len(body) >= 256 * 1024 - 16
    waf_reason(200, body, "text/html")  # warm up
    best = min(_timed(lambda: waf_reason(200, body, "text/html")) for _ in range(3))
    assert best < 0.05, f"{what}: {best * 1000:.0f} ms"


@pytest.mark.parametrize("html", ['<meta http-equiv="refresh" content="0;' + " " * 2000 + 'x"' * 30,
                                  "<meta " * 13000, "<meta " + "a" * 2040 + ">" * 30])
def test_the_meta_refresh_reader_is_linear(html):
    best = min(_timed(lambda: meta_refresh_target(html[:65536], "http://h.gov.cn/")) for _ in range(3))
    assert best < 0.05


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# --------------------------------------------------------------------------- crawls that go on

def _list(links: List[Tuple[str, str]], next_page: Optional[str] = None) -> bytes:
    items = "".join(f'<li><a href="{href}">{title}</a></li>' for href, title in links)
    more = f'<a href="{next_page}">下一页</a>' if next_page else ""
    return f"<html><body><ul>{items}</ul>{more}</body></html>".encode("utf-8")


def test_failed_list_pages_count_towards_max_pages(hostile, tmp_path):
    hostile.routes["/list.htm"] = answer(200, body=_list(
        [("/r.htm", "某县2023年度政府信息公开工作年度报告")]) + "".join(
        f'<a href="/gone{n}.htm">下一页</a>' for n in range(2000)).encode("utf-8"))
    hostile.routes["/r.htm"] = answer(200, body=PAGE)
    entries = crawl(hostile.url("/list.htm"), out_dir=tmp_path, max_pages=5, timeout=(0.5, 0.5), deadline=1.0,
                    rate=0.0, proxy="")
    assert [e["url"] for e in entries] == [hostile.url("/r.htm")]
    assert sum(1 for path, _, _ in hostile.log if path.startswith("/gone")) == 4


def test_max_reports_has_a_documented_default():
    import inspect

    from zqparse import crawl as crawl_module

    assert inspect.signature(crawl_module.crawl).parameters["max_reports"].default == crawl_module.MAX_REPORTS
    docs = " ".join((Path(__file__).resolve().parent.parent / "docs" / "fetch.md").read_text(encoding="utf-8").split())
    assert f"max_reports={crawl_module.MAX_REPORTS}" in docs


HOSTILE_REPORTS = {
    "/drip.htm": DRIPS["body"],
    "/drip-header.htm": DRIPS["header line"],
    "/lie.htm": BROKEN["Content-Length lies (longer than the body)"][0],
    "/digit.htm": BROKEN["Content-Length: a non-ASCII digit"][0],
    "/flood.htm": BROKEN["200 headers"][0],
    "/port.htm": answer(302, {"Location": "http://127.0.0.1:99999/x"}),
    "/ipv6.htm": answer(302, {"Location": "http://[::1"}),
    "/file.htm": answer(302, {"Location": "file:///etc/passwd"}),
    "/idn.htm": answer(302, {"Location": "http://" + "长" * 70 + ".cn/x"}),
    "/other-port.htm": answer(302, {"Location": "http://127.0.0.1:9/x"}),
    "/metadata.htm": answer(302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
    "/busy.htm": answer(429, {"Retry-After": "1"}, b"<html>busy</html>"),  # the next request waits 1 s
    "/retry-digit.htm": answer(503, {"Retry-After": "²"}, b"<html>busy</html>"),
    "/loop.htm": answer(302, {"Location": "/loop.htm"}),
    "/gone.htm": not_found,
    "/good.htm": answer(200, body=PAGE),
}


def test_a_crawl_over_every_hostile_answer_writes_a_complete_manifest(hostile, tmp_path, capsys):
    from zqparse.cli import main

    links = [(path, f"某县{2000 + n}年度政府信息公开工作年度报告") for n, path in enumerate(HOSTILE_REPORTS)]
    links += [(f"http://user:hunter2@127.0.0.1:{hostile.port}/good.htm?again", "某县1999年度政府信息公开工作年度报告"),
              ("http://" + "长" * 70 + ".cn/r.htm", "某县1998年度政府信息公开工作年度报告"),
              (f"http://127.0.0.1:{hostile.port + 1 if hostile.port < 65535 else 1}/r.htm",
               "某县1997年度政府信息公开工作年度报告")]
    hostile.routes.update(HOSTILE_REPORTS)
    hostile.routes["/good.htm?again"] = answer(200, body=PAGE)
    hostile.routes["/list.htm"] = answer(200, body=_list(links, next_page="/binary.htm"))
    hostile.routes["/binary.htm"] = answer(200, {"Content-Type": "application/octet-stream"},
                                           bytes(range(256)) * 64)
    out = tmp_path / "out"
    with Clock() as clock:
        status = main(["crawl", hostile.url("/list.htm"), "-o", str(out), "--timeout", "0.5", "0.5",
                       "--deadline", "1", "--rate", "0", "--retries", "0", "--proxy", ""])
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    manifest = [json.loads(line) for line in (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]
    assert status == 1 and rows == manifest and clock.seconds < 10
    assert [r["url"] for r in rows] == [hostile.url(path) for path in HOSTILE_REPORTS] + [
        hostile.url("/good.htm?again")]  # the overlong IDN link and the other port are not followed
    good = {hostile.url("/good.htm"), hostile.url("/good.htm?again")}
    assert all((r["error"] is None) == (r["url"] in good) for r in rows), rows
    failures = sum(1 for r in rows if r["error"])
    assert f"{len(rows)} report pages, {failures} with errors" in captured.err
    errors = {r["url"][len(hostile.base):]: r["error"].split(":", 1)[0] for r in rows if r["error"]}
    assert errors == {
        "/drip.htm": "DeadlineExceededError", "/drip-header.htm": "DeadlineExceededError",
        "/lie.htm": "IncompleteBodyError", "/digit.htm": "BadResponseError", "/flood.htm": "BadResponseError",
        "/port.htm": "InvalidURLError", "/ipv6.htm": "InvalidURLError", "/file.htm": "InvalidURLError",
        "/idn.htm": "InvalidURLError", "/other-port.htm": "OutsideAllowedHostsError",
        "/metadata.htm": "OutsideAllowedHostsError", "/busy.htm": "HTTP error",
        "/retry-digit.htm": "HTTP error", "/loop.htm": "TooManyRedirectsError", "/gone.htm": "HTTP error"}
    records = [p for p in out.rglob("*") if p.suffix in (".json", ".jsonl")]  # bodies are the pages as served
    assert records and not any(b"hunter2" in p.read_bytes() for p in records)
    assert [p.name for p in out.rglob("*") if p.name.endswith(".tmp")] == []


def test_a_binary_later_list_page_is_skipped(hostile, tmp_path):
    hostile.routes["/list.htm"] = answer(200, body=_list([("/good.htm", "某县2023年度政府信息公开工作年度报告")],
                                                         next_page="/binary.htm"))
    hostile.routes["/binary.htm"] = answer(200, {"Content-Type": "text/html"}, b"\x00\x01\x02\xff" * 4096)
    hostile.routes["/good.htm"] = answer(200, body=PAGE)
    entries = crawl(hostile.url("/list.htm"), out_dir=tmp_path, timeout=(0.5, 0.5), deadline=1.0, rate=0.0,
                    proxy="")
    assert [e["error"] for e in entries] == [None] and hostile.hits("/binary.htm") == 1


def test_the_manifest_is_written_when_the_first_list_page_fails(hostile, tmp_path):
    with pytest.raises(NotAPageError):
        crawl(hostile.url("/none.htm"), out_dir=tmp_path, timeout=(0.5, 0.5), deadline=1.0, rate=0.0, proxy="")
    assert (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8") == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_idn_list_url_reads_its_own_punycode_links(hostile, tmp_path):
    # through a proxy, as the name does not resolve here
    host = "平潭.example.invalid"
    puny = host.encode("idna").decode("ascii")
    hostile.routes["/list.htm"] = answer(200, body=_list([(f"http://{puny}/r.htm", "平潭2023年度政府信息公开工作年度报告"),
                                                          (f"http://{host}/s.htm", "平潭2022年度政府信息公开工作年度报告")]))
    hostile.routes["/r.htm"] = answer(200, body=PAGE)
    hostile.routes["/s.htm"] = answer(200, body=PAGE)
    entries = crawl(f"http://{host}/list.htm", out_dir=tmp_path, timeout=(0.5, 0.5), deadline=1.0, rate=0.0,
                    proxy=hostile.base)
    assert [(e["url"], e["error"]) for e in entries] == [(f"http://{puny}/r.htm", None), (f"http://{puny}/s.htm", None)]
