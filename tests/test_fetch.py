"""The polite fetcher against a real HTTP server on 127.0.0.1 (started here; no internet).

Every politeness and failure behaviour of ``zqparse.fetcher`` has a test: timeouts
(connect and read), retries on 5xx and timeouts only, the body limit, the per-host rate
limit, robots.txt, the User-Agent, redirects and meta-refresh stubs, WAF stubs, the
on-disk cache, and parsing with the HTTP charset.
"""
from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional, Tuple, Union

import pytest

import zqparse
from zqparse.errors import FetchError
from zqparse.fetcher import (USER_AGENT, Fetcher, FetchResult, FetchTimeoutError, PrivateAddressError,
                           ResponseTooLargeError, RobotsDisallowedError, TooManyRedirectsError, cache_key, fetch, load_cached,
                           parse_cached, waf_reason)

from conftest import fixture_path

Response = Tuple[int, Dict[str, str], bytes]
Route = Union[Response, Callable[[int], Response]]

HTML = "text/html; charset=utf-8"


def page(text: str, charset: str = "utf-8") -> bytes:
    """A small but real-looking HTML page holding ``text``."""
    return (f'<html><head><meta charset="{charset}"><title>页面</title></head>'
            f"<body><div>{text}</div></body></html>").encode(charset)


class Server:
    """A threaded HTTP server on 127.0.0.1 serving ``routes`` and logging every request.

    A route is ``(status, headers, body)`` or a callable taking the number of earlier
    requests to that path and returning one; a ``"X-Delay"`` header (seconds) makes the
    server wait before answering, ``"X-No-Length"`` leaves out Content-Length (neither is
    sent to the client). Unknown paths give 404;
    ``/robots.txt`` gives 404 unless routed.
    """

    def __init__(self, routes: Optional[Dict[str, Route]] = None) -> None:
        self.routes: Dict[str, Route] = dict(routes or {})
        self.log: List[Tuple[float, str, Dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with server._lock:
                    count = sum(1 for _, path, _ in server.log if path == self.path)
                    server.log.append((time.monotonic(), self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": HTML}, b"<html><body>404 Not Found</body></html>"
                else:
                    status, headers, body = route(count) if callable(route) else route
                headers = dict(headers)
                delay = float(headers.pop("X-Delay", 0))
                sized = headers.pop("X-No-Length", None) is None
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if sized and "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: Optional[str] = None) -> int:
        with self._lock:
            return sum(1 for _, p, _ in self.log if path is None or p == path)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with Server() as srv:
        yield srv


def quick(**options) -> Fetcher:
    """A fetcher with test-sized timings and no shared state, allowed to ask 127.0.0.1, no proxy."""
    settings = dict(timeout=(0.5, 0.5), deadline=2.0, retries=2, backoff=0.01, rate=0.0, allow_private=True,
                    proxy="")
    settings.update(options)
    return Fetcher(**settings)


# --------------------------------------------------------------------------- basics

def test_plain_fetch_and_result(server):
    server.routes["/a.htm"] = (200, {"Content-Type": HTML}, page("平潭综合实验区" * 40))
    result = quick().fetch(server.url("/a.htm"))
    assert isinstance(result, FetchResult)
    assert (result.status, result.kind, result.charset, result.content_type) == (200, "ok", "utf-8", "text/html")
    assert result.ok and not result.from_cache and result.redirects == ()
    assert "平潭综合实验区" in result.body.decode("utf-8")
    assert result.header("CONTENT-TYPE") == HTML
    assert result.fetched_at.endswith("+00:00")


def test_user_agent_is_honest(server):
    server.routes["/a.htm"] = (200, {"Content-Type": HTML}, page("正文" * 100))
    quick().fetch(server.url("/a.htm"))
    agents = {headers.get("User-Agent") for _, _, headers in server.log}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith(f"zqparse/{zqparse.__version__} ")


def test_gzip_body_is_decompressed(server):
    body = page("政府信息公开" * 200)
    server.routes["/z.htm"] = (200, {"Content-Type": HTML, "Content-Encoding": "gzip"}, gzip.compress(body))
    assert quick().fetch(server.url("/z.htm")).body == body


# --------------------------------------------------------------------------- failures

def test_refused_connection_is_a_fetch_error():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        quick(retries=0).fetch(f"http://127.0.0.1:{port}/x.htm")


def test_not_http_is_a_fetch_error():
    with pytest.raises(FetchError, match="not an http"):
        quick().fetch("ftp://127.0.0.1/x")


def test_404_is_a_result_and_not_retried(server):
    result = quick(retries=3).fetch(server.url("/gone.htm"))
    assert (result.status, result.kind, result.reason) == (404, "http-error", "HTTP 404")
    assert server.hits("/gone.htm") == 1


def test_500_then_200_is_retried(server):
    server.routes["/flaky.htm"] = lambda n: ((500, {"Content-Type": HTML}, b"<html>oops</html>") if n == 0
                                             else (200, {"Content-Type": HTML}, page("恢复" * 100)))
    result = quick(retries=2).fetch(server.url("/flaky.htm"))
    assert (result.status, result.kind) == (200, "ok")
    assert server.hits("/flaky.htm") == 2


def test_5xx_gives_up_after_the_retries_with_backoff(server):
    server.routes["/down.htm"] = (503, {"Content-Type": HTML}, b"<html>busy</html>")
    started = time.monotonic()
    result = quick(retries=2, backoff=0.05).fetch(server.url("/down.htm"))
    assert (result.status, result.kind) == (503, "http-error")
    assert server.hits("/down.htm") == 3
    times = [t for t, path, _ in server.log if path == "/down.htm"]
    # urllib3's schedule: the first retry at once, the second after 2 × backoff
    assert times[2] - times[1] >= 2 * 0.05 - 0.005
    assert time.monotonic() - started < 1.0


def test_read_timeout_is_retried_then_raised(server):
    server.routes["/slow.htm"] = (200, {"Content-Type": HTML, "X-Delay": "0.4"}, page("慢" * 100))
    with pytest.raises(FetchTimeoutError, match=r"read timeout \(0.1 s\).*after 2 attempts"):
        quick(timeout=(0.5, 0.1), retries=1).fetch(server.url("/slow.htm"))
    assert server.hits("/slow.htm") == 2


def test_connect_timeout():
    # a listening socket whose single-slot backlog is full: further SYNs are left unanswered
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        filler.connect(("127.0.0.1", port))
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError, match=r"connect timeout \(0.15 s\)"):
            quick(timeout=(0.15, 0.5), retries=1).fetch(f"http://127.0.0.1:{port}/x.htm")
        assert time.monotonic() - started < 1.0


def test_body_over_the_limit_is_refused(server):
    server.routes["/big.htm"] = (200, {"Content-Type": HTML}, page("大" * 20000))
    with pytest.raises(ResponseTooLargeError, match="Content-Length"):
        quick(max_bytes=10000).fetch(server.url("/big.htm"))


def test_body_over_the_limit_is_cut_while_streaming(server):
    # no Content-Length (HTTP/1.0 body to end of stream): the limit applies while reading
    def unsized(_n: int) -> Response:
        return 200, {"Content-Type": HTML, "X-No-Length": "1"}, page("大" * 200000)

    server.routes["/stream.htm"] = unsized
    with pytest.raises(ResponseTooLargeError, match="stopped reading"):
        quick(max_bytes=100000).fetch(server.url("/stream.htm"))


def test_gzip_bomb_is_cut_at_the_limit(server):
    bomb = gzip.compress(b" " * 5_000_000)
    server.routes["/bomb.htm"] = (200, {"Content-Type": HTML, "Content-Encoding": "gzip"}, bomb)
    assert len(bomb) < 100000
    with pytest.raises(ResponseTooLargeError):
        quick(max_bytes=100000).fetch(server.url("/bomb.htm"))


# --------------------------------------------------------------------------- politeness

def test_rate_limit_spaces_requests_to_one_host(server):
    for name in ("/1.htm", "/2.htm", "/3.htm"):
        server.routes[name] = (200, {"Content-Type": HTML}, page("正文" * 100))
    fetcher = quick(rate=0.2)
    for name in ("/1.htm", "/2.htm", "/3.htm"):
        fetcher.fetch(server.url(name))
    times = [t for t, _, _ in server.log]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 3  # robots.txt, then the three pages
    assert all(gap >= 0.19 for gap in gaps), gaps


def test_robots_disallow_is_a_clear_refusal_and_read_once(server):
    server.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"},
                                    b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/r.htm"] = (200, {"Content-Type": HTML}, page("秘" * 100))
    server.routes["/public/r.htm"] = (200, {"Content-Type": HTML}, page("公" * 100))
    fetcher = quick()
    with pytest.raises(RobotsDisallowedError, match="robots.txt of http://127.0.0.1:.* disallows .*/private/r.htm"):
        fetcher.fetch(server.url("/private/r.htm"))
    assert fetcher.fetch(server.url("/public/r.htm")).ok
    fetcher.fetch(server.url("/public/r.htm"))
    assert server.hits("/private/r.htm") == 0
    assert server.hits("/robots.txt") == 1


def test_robots_group_for_zqparse_and_crawl_delay(server):
    server.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"},
                                    b"User-agent: zqparse\nDisallow: /nb/\nCrawl-delay: 0.2\n\n"
                                    b"User-agent: *\nDisallow:\n")
    server.routes["/ok.htm"] = (200, {"Content-Type": HTML}, page("正文" * 100))
    fetcher = quick()
    with pytest.raises(RobotsDisallowedError):
        fetcher.fetch(server.url("/nb/x.htm"))
    fetcher.fetch(server.url("/ok.htm"))
    fetcher.fetch(server.url("/ok.htm?again"))
    (t1, *_), (t2, *_) = server.log[-2:]
    assert t2 - t1 >= 0.19


def test_robots_missing_allows_and_robots_5xx_refuses(server):
    server.routes["/a.htm"] = (200, {"Content-Type": HTML}, page("正文" * 100))
    assert quick().fetch(server.url("/a.htm")).ok  # /robots.txt is a 404 here
    server.routes["/robots.txt"] = (500, {}, b"error")
    with pytest.raises(RobotsDisallowedError, match="HTTP 500"):
        quick(retries=0).fetch(server.url("/a.htm"))


def test_robots_can_be_ignored(server):
    server.routes["/robots.txt"] = (200, {}, b"User-agent: *\nDisallow: /\n")
    server.routes["/a.htm"] = (200, {"Content-Type": HTML}, page("正文" * 100))
    assert quick(respect_robots=False).fetch(server.url("/a.htm")).ok
    assert server.hits("/robots.txt") == 0


# --------------------------------------------------------------------------- redirects

def test_redirect_chain_is_followed(server):
    server.routes["/r1"] = (301, {"Location": "/r2"}, b"")
    server.routes["/r2"] = (302, {"Location": server.url("/r3")}, b"")
    server.routes["/r3"] = (307, {"Location": "final.htm"}, b"")
    server.routes["/final.htm"] = (200, {"Content-Type": HTML}, page("终点" * 100))
    result = quick().fetch(server.url("/r1"))
    assert result.ok and result.final_url == server.url("/final.htm")
    assert result.redirects == (server.url("/r2"), server.url("/r3"), server.url("/final.htm"))
    assert result.url == server.url("/r1")


def test_redirect_cap_and_loop(server):
    for i in range(6):
        server.routes[f"/c{i}"] = (302, {"Location": f"/c{i + 1}"}, b"")
    with pytest.raises(TooManyRedirectsError, match="more than 3 redirects"):
        quick(max_redirects=3).fetch(server.url("/c0"))
    server.routes["/loop-a"] = (302, {"Location": "/loop-b"}, b"")
    server.routes["/loop-b"] = (302, {"Location": "/loop-a"}, b"")
    with pytest.raises(TooManyRedirectsError, match="loop"):
        quick().fetch(server.url("/loop-a"))


def test_meta_refresh_stub_is_followed(server):
    stub = (b'<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL=./202001/t20200120_80576.htm">'
            b"</head><body></body></html>")
    server.routes["/nb/"] = (200, {"Content-Type": HTML}, stub)
    server.routes["/nb/202001/t20200120_80576.htm"] = (200, {"Content-Type": HTML}, page("报告正文" * 100))
    result = quick().fetch(server.url("/nb/"))
    assert result.ok and result.final_url == server.url("/nb/202001/t20200120_80576.htm")
    assert result.redirects == (result.final_url,)


def test_meta_refresh_on_a_real_page_is_not_followed(server):
    body = page("正文内容" * 200).replace(b"<head>", b'<head><meta http-equiv="refresh" content="300; url=/x">')
    server.routes["/page.htm"] = (200, {"Content-Type": HTML}, body)
    result = quick().fetch(server.url("/page.htm"))
    assert result.final_url == server.url("/page.htm") and server.hits("/x") == 0


def test_redirect_off_the_allowed_hosts_is_refused(server):
    server.routes["/away"] = (302, {"Location": "http://elsewhere.invalid/x"}, b"")
    with pytest.raises(FetchError, match="outside the allowed hosts"):
        quick(allowed_hosts=["127.0.0.1"]).fetch(server.url("/away"))


# --------------------------------------------------------------------------- WAF stubs

WAF_STUBS = {
    "js-cookie": (200, b'<html><head><script>document.cookie="__jsl_clearance=1577;max-age=3600;path=/";'
                       b"location.href=location.pathname+location.search</script></head><body></body></html>"),
    "ruishu-412": (412, b'<html><head><meta charset="utf-8"><script>$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};'
                        b"$_ts.nsd=12345;</script><script src=\"/a1b2c3.js\"></script></head><body></body></html>"),
    "safedog": (200, '<html><body><h1>网站防火墙</h1><p>您的请求带有不合法参数，已被网站管理员设置拦截！</p>'
                     '<p>安全狗</p></body></html>'.encode("utf-8")),
    "tiny": (200, b"<html></html>"),
}


@pytest.mark.parametrize("name", sorted(WAF_STUBS))
def test_waf_stub_is_reported_as_such(server, name, tmp_path):
    status, body = WAF_STUBS[name]
    server.routes["/w.htm"] = (status, {"Content-Type": HTML}, body)
    result = quick().fetch(server.url("/w.htm"))
    assert result.kind == "waf" and result.status == status and not result.ok
    assert result.reason
    # a WAF stub is not cached: the next run asks again
    fetcher = quick(cache_dir=tmp_path)
    fetcher.fetch(server.url("/w.htm"))
    assert load_cached(server.url("/w.htm"), tmp_path) is None


@pytest.mark.parametrize("name", ["pingtan-zhq-2019.html", "pingtan-list.html",
                                  "not-reports/pingtan-notice-2021.html"])
def test_real_pages_are_not_waf_stubs(name):
    body = fixture_path(name).read_bytes()
    assert waf_reason(200, body, "text/html") is None


def test_a_pdf_is_never_a_waf_stub():
    assert waf_reason(200, b"%PDF-1.4 tiny", "application/pdf") is None


# --------------------------------------------------------------------------- cache

def test_cache_keeps_body_status_headers_and_time(server, tmp_path):
    server.routes["/c.htm"] = (200, {"Content-Type": HTML, "X-Site": "pt"}, page("缓存" * 100))
    first = quick(cache_dir=tmp_path).fetch(server.url("/c.htm"))
    hits = server.hits()
    second = quick(cache_dir=tmp_path).fetch(server.url("/c.htm"))
    assert server.hits() == hits  # nothing fetched
    assert second.from_cache and not first.from_cache
    assert (second.body, second.status, second.headers, second.fetched_at, second.final_url) == \
           (first.body, first.status, first.headers, first.fetched_at, first.final_url)
    key = cache_key(server.url("/c.htm"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{key}.body", f"{key}.json"]
    meta = json.loads((tmp_path / f"{key}.json").read_text(encoding="utf-8"))
    assert meta["status"] == 200 and ["X-Site", "pt"] in meta["headers"] and meta["fetched_at"]


def test_cache_names_never_come_from_the_url_path(server, tmp_path):
    cache = tmp_path / "cache"
    evil = "/..%2F..%2Fescape/../../etc/passwd.htm?name=../../x"
    server.routes["/etc/passwd.htm?name=../../x"] = (200, {"Content-Type": HTML}, page("x" * 300))
    quick(cache_dir=cache).fetch(server.url(evil))
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != cache] == []
    assert all(len(p.name.split(".")[0]) == 64 for p in cache.iterdir())


def test_refresh_bypasses_the_cache_and_5xx_is_not_cached(server, tmp_path):
    server.routes["/c.htm"] = (200, {"Content-Type": HTML}, page("缓存" * 100))
    server.routes["/e.htm"] = (500, {"Content-Type": HTML}, b"<html>err</html>")
    quick(cache_dir=tmp_path).fetch(server.url("/c.htm"))
    quick(cache_dir=tmp_path, refresh=True).fetch(server.url("/c.htm"))
    assert server.hits("/c.htm") == 2
    quick(cache_dir=tmp_path, retries=0).fetch(server.url("/e.htm"))
    quick(cache_dir=tmp_path, retries=0).fetch(server.url("/e.htm"))
    assert server.hits("/e.htm") == 2


def test_damaged_cache_entry_is_fetched_again(server, tmp_path):
    server.routes["/c.htm"] = (200, {"Content-Type": HTML}, page("缓存" * 100))
    quick(cache_dir=tmp_path).fetch(server.url("/c.htm"))
    (tmp_path / f"{cache_key(server.url('/c.htm'))}.body").write_bytes(b"truncated")
    assert not quick(cache_dir=tmp_path).fetch(server.url("/c.htm")).from_cache


# --------------------------------------------------------------------------- parsing

def test_gb2312_page_with_gbk_only_characters_decodes_fully(server, tmp_path):
    # 镕 and 珺 are in GBK (and GB18030) but not in GB2312; the page and the header say gb2312
    text = "平潭综合实验区2019年度政府信息公开工作年度报告。朱镕基、王珺同志参加。" * 5
    body = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
         f"<title>平潭综合实验区2019年度政府信息公开工作年度报告</title></head>"
         f"<body><div>{text}</div></body></html>").encode("gbk")
    with pytest.raises(UnicodeEncodeError):
        "镕珺".encode("gb2312")
    server.routes["/gb.htm"] = (200, {"Content-Type": "text/html; charset=GB2312"}, body)
    result = quick(cache_dir=tmp_path).fetch(server.url("/gb.htm"))
    assert result.charset == "gb2312"
    report = result.parse()
    assert "朱镕基" in report.text and "王珺" in report.text
    assert report.source.undecodable == 0 and report.source.encoding == "gb18030"
    assert report.source.url == server.url("/gb.htm")
    cached = parse_cached(server.url("/gb.htm"), tmp_path)
    assert cached.text == report.text and cached.source.url == server.url("/gb.htm")


def test_http_charset_overrides_a_wrong_guess(server):
    # no <meta charset>: only the HTTP header says the bytes are GBK
    text = "政府信息公开工作年度报告" * 20
    body = f"<html><body><p>{text}</p></body></html>".encode("gbk")
    server.routes["/g.htm"] = (200, {"Content-Type": "text/html; charset=gbk"}, body)
    report = quick().fetch(server.url("/g.htm")).parse()
    assert text in report.text


def test_fetched_fixture_parses_like_the_fixture(server):
    name = "pingtan-zhq-2019.html"
    server.routes["/nb/202001/t20200120_80576.htm"] = (200, {"Content-Type": HTML},
                                                        fixture_path(name).read_bytes())
    report = quick().fetch(server.url("/nb/202001/t20200120_80576.htm")).parse()
    direct = zqparse.parse(fixture_path(name)).to_dict()
    fetched = report.to_dict()
    assert fetched["source"].pop("url") == server.url("/nb/202001/t20200120_80576.htm")
    assert direct["source"].pop("url") is None
    direct["source"].pop("path")
    fetched["source"].pop("path")
    assert fetched == direct


def test_parse_cached_of_an_uncached_url_is_a_fetch_error(tmp_path):
    with pytest.raises(FetchError, match="not in the cache"):
        parse_cached("http://127.0.0.1:9/never.htm", tmp_path)


def test_module_function_uses_the_same_behaviour(server, tmp_path):
    server.routes["/m.htm"] = (200, {"Content-Type": HTML}, page("正文" * 100))
    with pytest.raises(PrivateAddressError, match="internal address"):
        fetch(server.url("/m.htm"), cache_dir=tmp_path, rate=0.0, timeout=(0.5, 0.5), proxy="")
    result = fetch(server.url("/m.htm"), cache_dir=tmp_path, rate=0.0, timeout=(0.5, 0.5), allow_private=True,
                   proxy="")
    assert result.ok
    assert fetch(server.url("/m.htm"), cache_dir=tmp_path, rate=0.0).from_cache


def test_import_zqparse_loads_no_network_modules():
    import subprocess
    import sys

    code = ("import sys, zqparse, zqparse.cli; "
            "print(sorted(m for m in ('http.client', 'ssl', 'urllib.request', 'zqparse.fetcher', 'zqparse.crawl') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_zqparse_fetch_is_the_fetch_function():
    import zqparse
    from zqparse import fetcher

    assert zqparse.fetch is fetcher.fetch
    assert "fetch" in zqparse.__all__


def test_docs_politeness_table_states_the_library_defaults():
    from pathlib import Path

    from zqparse import fetcher

    docs = " ".join((Path(__file__).resolve().parent.parent / "docs" / "fetch.md").read_text(encoding="utf-8").split())
    connect, read = fetcher.DEFAULT_TIMEOUT
    stated = [f"and for each read) | {connect:g} s, {read:g} s |",
              f"(robots.txt too) | {fetcher.DEFAULT_DEADLINE:g} s |",
              f"waits and redirects | {fetcher.DEFAULT_TOTAL_DEADLINE:g} s |",
              f"or a {', '.join(str(s) for s in sorted(fetcher.RETRY_STATUSES))} (never another 4xx",
              f"| {fetcher.DEFAULT_RETRIES} retries, at once then after {2 * fetcher.DEFAULT_BACKOFF:g} s "
              f"(backoff {fetcher.DEFAULT_BACKOFF:g}:",
              f"| up to {fetcher.MAX_RETRY_AFTER:g} s; longer ends the retries |",
              f"| {fetcher.MAX_BYTES >> 20} MiB |",
              f"one host (host name) | {fetcher.DEFAULT_RATE:g} s |",
              f"`Crawl-delay` too (≤ {fetcher.MAX_CRAWL_DELAY:g} s)",
              f"| at most {fetcher.MAX_REDIRECTS} |"]
    assert [line for line in stated if line not in docs] == []
