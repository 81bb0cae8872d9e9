"""The preview server as an HTTP citizen (issue 11): real requests against a started server.

Redirects for folder URLs, 400 for unusable paths, nothing served from outside the output
folder, no listings, the site's own 404 page, HEAD equal to GET, the pages' policy as a
header, idle connections that time out, a busy port refused before the output is touched,
and never a traceback.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import lxml.html
import pytest

from karabakh_site.commands import serve as serve_module
from karabakh_site.commands.build import build
from karabakh_site.commands.cli import main
from karabakh_site.commands.serve import PreviewState, start_server

from conftest import FIXTURE_SITE, PROJECT, options_for

ARTICLE = "/articles/kalbajar-speech/"
RELOAD_SCRIPT = "/__karabakh__/reload.js"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The sample site built once, plus what a careless output folder could hold."""
    out = tmp_path_factory.mktemp("serve-http") / "build"
    build(options_for(FIXTURE_SITE, out))
    (out / "no-index").mkdir()
    (out / "no-index" / "note.txt").write_text("a folder without index.html\n")
    (out / "passwd").symlink_to("/etc/passwd")
    (out / "etc").symlink_to("/etc")
    (out / "same.css").symlink_to("static/style.css")  # a link that stays inside is fine
    (out / "big.bin").write_bytes(b"\0" * (32 << 20))
    return out


@pytest.fixture(scope="module")
def port(out) -> int:
    """The preview server on the built folder, in this process, on a free port."""
    server = start_server(out, 0, PreviewState())
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def request(port: int, method: str, target: str, timeout: float = 5.0) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send one raw HTTP/1.0 request; return status, headers (in order) and the body as sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(f"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in header_lines]
    return int(status_line.split()[1]), headers, body


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in headers if key.lower() == name.lower()]
    assert len(values) <= 1, f"{name} sent {len(values)} times"
    return values[0] if values else None


def meta_policy(html: bytes) -> str:
    """The Content-Security-Policy a page carries in its <meta http-equiv>."""
    page = lxml.html.fromstring(html)
    return page.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")


def test_a_folder_url_without_its_slash_redirects_keeping_the_query(port):
    status, headers, _ = request(port, "GET", "/articles/kalbajar-speech?from=feed&x=%20")
    assert status == 301
    assert header(headers, "Location") == "/articles/kalbajar-speech/?from=feed&x=%20"
    assert request(port, "GET", "/articles")[:2][0] == 301
    status, _, body = request(port, "GET", "/articles/kalbajar-speech/?from=feed")
    assert status == 200
    assert lxml.html.fromstring(body).cssselect("h1")[0].text_content() == "Speech in Kalbajar"


UNUSABLE_PATHS = {
    "nul-in-a-name": "/index.html%00", "nul-as-a-folder": "/%00/", "nul-in-a-folder": "/articles/%00kalbajar-speech/",
    "segment-of-256-bytes": "/" + "a" * 256, "segment-of-300-bytes": "/articles/" + "b" * 300 + "/",
    "path-of-8-kb": "/" + "abc/" * 2000, "dot-dot": "/../etc/passwd", "encoded-dot-dot": "/static/%2e%2e/%2e%2e/",
}


@pytest.mark.parametrize("target", UNUSABLE_PATHS.values(), ids=UNUSABLE_PATHS.keys())
def test_unusable_paths_get_400_without_a_traceback(port, target, capfd):
    status, headers, _ = request(port, "GET", target)
    assert status == 400
    assert header(headers, "X-Content-Type-Options") == "nosniff"
    assert capfd.readouterr().err == ""


def test_symlinks_are_not_followed_outside_the_output_folder(port, out):
    not_found = (out / "404.html").read_bytes()
    for target in ("/passwd", "/etc/passwd", "/etc/", "/etc"):
        status, _, body = request(port, "GET", target)
        assert status == 404, target
        assert b"root:" not in body
        assert lxml.html.fromstring(body).cssselect("h1")[0].text_content() == \
            lxml.html.fromstring(not_found).cssselect("h1")[0].text_content()
    status, _, body = request(port, "GET", "/same.css")
    assert (status, body) == (200, (out / "static" / "style.css").read_bytes())


def test_a_folder_reached_through_a_symlink_is_served_and_still_confined(out, tmp_path):
    link = tmp_path / "served"
    link.symlink_to(out)
    server = start_server(link, 0, PreviewState())
    try:
        linked_port = server.server_address[1]
        assert request(linked_port, "GET", ARTICLE)[0] == 200
        assert request(linked_port, "GET", "/passwd")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


def test_folders_are_never_listed(port):
    status, _, body = request(port, "GET", "/no-index/")
    assert status == 404
    assert not lxml.html.fromstring(body).cssselect('a[href="note.txt"]')
    assert request(port, "GET", "/no-index/note.txt")[0] == 200


@pytest.mark.parametrize("target", ["/nowhere", "/nowhere/", "/articles/nowhere/index.html", "/static/nothing.css",
                                    "/index.html/"])
def test_missing_files_get_the_sites_404_page_with_the_reload_script(port, out, target):
    status, headers, body = request(port, "GET", target)
    assert status == 404
    assert header(headers, "Content-Type") == "text/html; charset=utf-8"
    page = lxml.html.fromstring(body)
    expected = lxml.html.fromstring((out / "404.html").read_bytes())
    assert page.cssselect("h1")[0].text_content() == expected.cssselect("h1")[0].text_content()
    assert [script.get("src") for script in page.cssselect("body script[src]")][-1] == RELOAD_SCRIPT
    assert header(headers, "Content-Security-Policy") == meta_policy((out / "404.html").read_bytes())


@pytest.mark.parametrize("target", [
    "/", ARTICLE, "/articles/kalbajar-speech", "/static/style.css", "/feed.xml", "/nowhere/", "/no-index/",
    "/index.html%00", RELOAD_SCRIPT, "/__karabakh__/status",
])
def test_head_sends_the_headers_get_sends_and_no_body(port, target):
    get_status, get_headers, get_body = request(port, "GET", target)
    head_status, head_headers, head_body = request(port, "HEAD", target)
    assert head_status == get_status
    assert head_body == b""
    without_date = lambda headers: [(key, value) for key, value in headers if key != "Date"]  # noqa: E731
    assert without_date(head_headers) == without_date(get_headers)
    if get_status != 301:
        assert header(get_headers, "Content-Length") == str(len(get_body))


@pytest.mark.parametrize("target", ["/", ARTICLE, "/chronology/", "/nowhere/"])
def test_html_responses_send_the_pages_policy_as_a_header(port, target):
    _, headers, body = request(port, "GET", target)
    policy = header(headers, "Content-Security-Policy")
    assert policy == meta_policy(body)
    directives = {name: values for name, *values in (part.split() for part in policy.split(";"))}
    assert "'self'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    # The injected script is a same-origin URL, which script-src 'self' allows.
    assert lxml.html.fromstring(body).cssselect("body script[src]")[-1].get("src") == RELOAD_SCRIPT
    assert header(headers, "X-Content-Type-Options") == "nosniff"


def test_other_responses_are_not_sniffed_and_carry_no_page_policy(port):
    for target, content_type in (("/static/style.css", "text/css; charset=utf-8"),
                                 (RELOAD_SCRIPT, "text/javascript; charset=utf-8"),
                                 ("/__karabakh__/status", "application/json")):
        _, headers, _ = request(port, "GET", target)
        assert header(headers, "Content-Type") == content_type
        assert header(headers, "X-Content-Type-Options") == "nosniff"
        assert header(headers, "Content-Security-Policy") is None


def raw_exchange(port: int, data: bytes) -> tuple[int, list[tuple[str, str]]]:
    """Send raw bytes as a request; return the status and headers of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5.0) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, *header_lines = answer.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    return int(status_line.split()[1]), [tuple(line.split(": ", 1)) for line in header_lines]


EVERY_KIND_OF_ANSWER = {  # (method, target, expected status)
    "page": ("GET", ARTICLE, 200), "home": ("GET", "/", 200), "css": ("GET", "/static/style.css", 200),
    "feed": ("GET", "/feed.xml", 200), "text-file": ("GET", "/no-index/note.txt", 200),
    "big-file": ("HEAD", "/big.bin", 200), "status-poll": ("GET", "/__karabakh__/status", 200),
    "reload-script": ("GET", RELOAD_SCRIPT, 200), "redirect": ("GET", "/articles", 301),
    "site-404": ("GET", "/nowhere/", 404), "unusable-path": ("GET", "/index.html%00", 400),
    "head-page": ("HEAD", "/", 200), "unsupported-method": ("POST", "/", 501),
}


@pytest.mark.parametrize("method, target, expected", EVERY_KIND_OF_ANSWER.values(), ids=EVERY_KIND_OF_ANSWER.keys())
def test_every_answer_forbids_caching(port, method, target, expected):
    """A browser must never show a page from before the last save (#14), whatever the answer."""
    status, headers, _ = request(port, method, target)
    assert status == expected
    assert header(headers, "Cache-Control") == "no-store"


@pytest.mark.parametrize("data, expected", [
    (b"GET / two HTTP/1.0\r\n\r\n", 400),  # a request line of four words
    (b"GET /" + b"a" * 70000 + b" HTTP/1.0\r\n\r\n", 414),  # refused before any handler runs
    (b"GET / HTTP/1.0\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431),
], ids=["malformed-request-line", "request-line-too-long", "too-many-headers"])
def test_answers_the_http_library_sends_itself_forbid_caching_too(port, data, expected):
    status, headers = raw_exchange(port, data)
    assert status == expected
    assert header(headers, "Cache-Control") == "no-store"


def test_a_404_without_the_sites_404_page_forbids_caching(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title><body></body>\n")
    server = start_server(tmp_path, 0, PreviewState())
    try:
        status, headers, _ = request(server.server_address[1], "GET", "/nowhere")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 404
    assert header(headers, "Cache-Control") == "no-store"


def test_the_reload_script_runs_under_the_policy_in_a_browser(port, browser):
    context = browser.new_context()  # the policy enforced, unlike the other browser tests
    try:
        page = context.new_page()
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        with page.expect_request(lambda request: request.url.endswith("/__karabakh__/status")):
            response = page.goto(f"http://127.0.0.1:{port}{ARTICLE}")
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert problems == []
    finally:
        context.close()


def open_idle_connections(port: int, count: int, half_open: int) -> list[socket.socket]:
    """Connect ``count`` sockets that send nothing, ``half_open`` of them a partial request line."""
    sockets = []
    for number in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        if number < half_open:
            connection.sendall(b"GET /index.ht")
        sockets.append(connection)
    return sockets


def wait_for(condition, timeout: float) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"not true after {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def test_idle_and_half_open_connections_time_out(port, monkeypatch):
    monkeypatch.setattr(serve_module, "CONNECTION_TIMEOUT", 1.5, raising=False)
    baseline = threading.active_count()
    sockets = open_idle_connections(port, 500, half_open=100)
    try:
        wait_for(lambda: threading.active_count() >= baseline + 400, timeout=5)  # the server took them
        started = time.perf_counter()
        status, _, _ = request(port, "GET", ARTICLE, timeout=1)
        assert status == 200
        assert time.perf_counter() - started < 1.0
        seconds = wait_for(lambda: threading.active_count() <= baseline + 2, timeout=4)
        print(f"500 idle connections closed by the server after {seconds:.2f} s")
        sockets[0].settimeout(1)
        assert sockets[0].recv(1) == b""  # closed by the server, not by us
    finally:
        for connection in sockets:
            connection.close()


def test_a_client_that_goes_away_mid_response_is_quiet(port, capfd):
    baseline = threading.active_count()
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.connect(("127.0.0.1", port))
    connection.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
    assert connection.recv(16).startswith(b"HTTP/1.0 200")
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
    connection.close()
    wait_for(lambda: threading.active_count() <= baseline, timeout=5)
    assert request(port, "GET", "/")[0] == 200
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("value", ["65536", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--port", value, "--content", str(tmp_path / "not-read"), "--out", str(tmp_path / "build"),
              "--no-cache", "--no-search"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == \
        f"karabakh-site serve: error: argument --port: {value!r} is not a port number (0 to 65535)"
    assert not (tmp_path / "build").exists()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_busy_port_is_refused_before_the_output_is_replaced(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    out = tmp_path / "build"
    build(options_for(content, out))
    (out / "index.html").write_text("the previous build, edited by hand\n")  # a new build would change it
    before, before_inode = snapshot(out), os.stat(out).st_ino
    with socket.create_server(("127.0.0.1", 0)) as occupied:
        busy = occupied.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "karabakh_site", "serve", "--port", str(busy), "--no-search", "--no-cache",
             "--content", str(content), "--out", str(out),
             "--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static")],
            capture_output=True, text=True, timeout=60, cwd=tmp_path,
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"karabakh-site: error: port {busy} is already in use; choose another with --port\n"
    assert result.stdout == ""
    assert snapshot(out) == before
    assert os.stat(out).st_ino == before_inode
