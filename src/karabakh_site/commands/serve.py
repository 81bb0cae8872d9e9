"""Preview server: build, serve on 127.0.0.1, rebuild on save, reload open pages.

The server knows nothing about content: it calls the build stages, keeps their render
cache between rebuilds (so only pages whose inputs changed are rendered and written),
and tells open pages to reload through a small polled status endpoint. A content error
keeps the last good pages online and shows the error in the terminal and over the page.

It is also a careful local server (#11): it binds its port before the first build, so a
busy port costs nothing; it answers only from files inside the output folder, redirects
folder URLs to their slash form, never lists a folder, answers a missing file with the
site's own 404 page and an unusable path with 400; HEAD sends exactly GET's headers; HTML
pages carry their own Content-Security-Policy as a header too; idle connections time out;
and no request ever prints a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import json
import mimetypes
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from karabakh_site.commands.build import BuildOptions, build, prepare_site, search_language
from karabakh_site.cache import BuildCache
from karabakh_site.errors import BuildFailed, UsageError
from karabakh_site.output.output_folder import folder_lock
from karabakh_site.collector import collect_after_build
from karabakh_site.commands.page_preview import DocumentPreview
from karabakh_site.output.search import refresh_search
from karabakh_site.render.theme import theme_static_dirs, theme_template_dirs
from karabakh_site.output.write import read_manifest, update_site

TEXT_TYPES = ("application/xml", "application/json", "application/javascript", "application/atom+xml")
STATUS_PATH = "/__karabakh__/status"
SCRIPT_PATH = "/__karabakh__/reload.js"
RELOAD_SCRIPT = (Path(__file__).parent / "reload.js").read_bytes()
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()

CONNECTION_TIMEOUT = 5.0
"""Seconds a connection may stay silent before the server closes it: without a limit an
idle or half-open socket holds its thread for ever (#11). Read at each connection."""
MAX_SEGMENT_BYTES = 255
"""The longest file name the usual file systems allow; a longer segment names no file."""
MAX_PATH_BYTES = 2048
"""Far longer than any path of the site; a longer one is refused before touching the disk."""


def port_number(text: str) -> int:
    """Parse ``--port``: a TCP port from 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


@dataclass
class PreviewState:
    """What the server tells open pages: which build they show and the current error."""

    generation: int = 0
    error: str | None = None
    files: dict[PurePosixPath, bytes] = field(default_factory=dict)
    digests: dict[PurePosixPath, str] | None = None
    """The digests of ``files`` in the served folder's manifest, once a rebuild has written it."""
    cache: BuildCache = field(default_factory=BuildCache)
    lock: threading.Lock = field(default_factory=threading.Lock)
    publishing: threading.RLock = field(default_factory=threading.RLock)
    """Held while the served folder is changed: a preview and a rebuild never interleave."""
    good_files: dict[PurePosixPath, bytes] | None = None
    """The files of the last rebuild without errors, while a preview has changed ``files``."""
    preview: DocumentPreview | None = None
    """Renders a saved document's page against the last good rebuild's site."""

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()


class BadPath(ValueError):
    """A URL path no file of the site can have (a NUL, '..', an over-long name): answered with 400."""


def resolve_url_path(root: Path, url_path: str) -> Path | None:
    """Return the real path a URL path names under ``root``, or None when it leads outside.

    ``root`` is already resolved. Symbolic links are followed and the result must stay
    inside ``root``, so a link in the output folder cannot expose the rest of the disk.
    """
    path = unquote(url_path)
    segments = [segment for segment in path.split("/") if segment not in ("", ".")]
    if ("\0" in path or ".." in segments or len(path.encode()) > MAX_PATH_BYTES
            or any(len(segment.encode()) > MAX_SEGMENT_BYTES for segment in segments)):
        raise BadPath(url_path)
    return _inside(root, root.joinpath(*segments))


def _inside(root: Path, path: Path) -> Path | None:
    """Return ``path`` with every link followed, or None when that leaves ``root``."""
    resolved = Path(os.path.realpath(path))
    return resolved if resolved.is_relative_to(root) else None


class _PolicyReader(HTMLParser):
    """Find the Content-Security-Policy a page declares in ``<meta http-equiv>``."""

    policy: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if (tag == "meta" and self.policy is None
                and (values.get("http-equiv") or "").lower() == "content-security-policy"):
            self.policy = " ".join((values.get("content") or "").split())


def page_policy(html: bytes) -> str | None:
    """The policy a page carries in its head, to send as a header too; None when it has none.

    The header repeats the page's own policy (the 404 page's differs: it allows its inline
    stylesheet by hash), so the server never allows or forbids more than the page does.
    """
    reader = _PolicyReader()
    reader.feed(html.partition(b"</head>")[0].decode("utf-8", "replace"))
    return reader.policy if reader.policy and reader.policy.isascii() else None


class _PreviewHandler(BaseHTTPRequestHandler):
    """Serve the output folder; add the reload script to HTML pages; answer status polls."""

    server: PreviewServer

    def setup(self) -> None:
        self.timeout = CONNECTION_TIMEOUT  # read per connection, so a test can shorten it
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._answer()

    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        self._answer()  # the same answer: _send_headers leaves the body out for HEAD

    def _answer(self) -> None:
        """Answer GET and HEAD alike, so both send the same headers."""
        url = urlsplit(self.path)
        if url.path == STATUS_PATH:
            return self._send(HTTPStatus.OK, self.server.state.status(), "application/json")
        if url.path == SCRIPT_PATH:
            return self._send(HTTPStatus.OK, RELOAD_SCRIPT, "text/javascript; charset=utf-8")
        try:
            target = resolve_url_path(self.server.root, url.path)
        except BadPath:
            return self.send_error(HTTPStatus.BAD_REQUEST, "Unusable path")
        if target is not None and os.path.isdir(target):
            if not url.path.endswith("/"):  # relative links resolve against the slash form
                return self._redirect(url.path + "/" + (f"?{url.query}" if url.query else ""))
            target = _inside(self.server.root, target / "index.html")  # never a listing
        elif url.path.endswith("/"):
            target = None  # a file asked for as a folder
        if target is None or not os.path.isfile(target):
            return self._send_not_found()
        self._send_file(target)

    def _send_file(self, path: Path) -> None:
        try:
            file = open(path, "rb")
        except OSError:
            return self._send_not_found()
        with file:
            if path.suffix == ".html":
                return self._send_page(HTTPStatus.OK, file.read())
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type in TEXT_TYPES:
                content_type += "; charset=utf-8"  # every text the build writes is UTF-8 (the originals too)
            if self._send_headers(HTTPStatus.OK, content_type, os.fstat(file.fileno()).st_size):
                shutil.copyfileobj(file, self.wfile)

    def _send_not_found(self) -> None:
        """Answer with the site's own 404 page, as a static host does."""
        page = _inside(self.server.root, self.server.root / "404.html")
        try:
            html = page.read_bytes() if page else None
        except OSError:
            html = None
        if html is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        self._send_page(HTTPStatus.NOT_FOUND, html)

    def _send_page(self, status: HTTPStatus, html: bytes) -> None:
        before, body_end, after = html.rpartition(b"</body>")
        if body_end:
            html = before + SCRIPT_TAG + b"\n" + body_end + after
        self._send(status, html, "text/html; charset=utf-8", page_policy(html))

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, policy: str | None = None) -> None:
        if self._send_headers(status, content_type, len(body), policy):
            self.wfile.write(body)

    def _send_headers(self, status: HTTPStatus, content_type: str, length: int, policy: str | None = None) -> bool:
        """Send the status and headers; return whether a body should follow (not for HEAD)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        return self.command != "HEAD"

    def end_headers(self) -> None:
        """Close every answer's headers, errors included: never cached, never content-sniffed."""
        self.send_header("Cache-Control", "no-store")  # a save must show on the next load
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that binds now and serves the output folder once started."""

    daemon_threads = True  # an open connection never keeps the process alive
    block_on_close = False  # stopping does not wait for connections to time out
    request_queue_size = 1024  # a burst of connections waits to be accepted instead of retrying a second later

    def __init__(self, port: int, state: PreviewState):
        self.state = state
        self.root: Path | None = None
        """The output folder's real path; set by start_serving, before any request is read."""
        try:
            super().__init__(("127.0.0.1", port), _PreviewHandler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} is already in use; choose another with --port") from None
            raise UsageError(f"cannot serve on port {port}: {error.strerror}; choose another with --port") from None

    def start_serving(self, out: Path) -> None:
        """Serve ``out`` from a background thread.

        The folder's real path is fixed now, once: the folder may be reached through a
        symbolic link, and every answer must come from inside it.
        """
        self.root = Path(os.path.realpath(out))
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def handle_error(self, request, client_address) -> None:
        """Drop a connection the client broke; report any other failure in one line.

        A reader closing a tab mid-download is normal, and no request may fill the
        terminal with a traceback (#11).
        """
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"karabakh-site: could not answer a request: {error!r}", file=sys.stderr, flush=True)


def start_server(out: Path, port: int, state: PreviewState) -> PreviewServer:
    """Serve ``out`` on 127.0.0.1 in a background thread; port 0 picks a free port."""
    server = PreviewServer(port, state)
    server.start_serving(out)
    return server


def rebuild(options: BuildOptions, state: PreviewState, saved_meanwhile=lambda: set()) -> str:
    """Rebuild after a change; write only what changed; return a line for the terminal.

    ``saved_meanwhile()`` names the documents saved while the rebuild ran: their previews
    are laid over its pages, so an older rebuild never hides a newer save (the rebuild
    those saves asked for comes next).
    """
    started = time.perf_counter()
    try:
        report = prepare_site(options, state.cache)
    except BuildFailed as failure:
        with state.publishing:
            if state.good_files is not None:  # take back the previews: the last good pages stay online
                _publish(options, state, state.good_files)
                state.good_files = None
            with state.lock:
                state.error = str(failure)
                state.generation += 1
        return str(failure)
    with state.publishing:
        state.preview = DocumentPreview(options.content, report.linked, report.environment).prepared()
        files = report.files
        for saved in sorted(saved_meanwhile()):
            page = _preview_page(state.preview, saved)
            if page is not None:
                files = {**files, page[0]: page[1]}
        written, removed = _publish(options, state, files)
        state.good_files = None if files is report.files else report.files
        with state.lock:
            state.error = None
            state.generation += 1
    seconds = time.perf_counter() - started
    pages = state.cache.pages
    return (f"rebuilt in {seconds:.2f} s: rendered {len(pages.rendered)} of {len(pages.entries)} "
            f"pages, wrote {written} files, removed {removed}")


def _preview_page(preview: DocumentPreview, saved: Path) -> tuple[PurePosixPath, bytes] | None:
    try:
        return preview.page_of(saved)
    except Exception:  # the rebuild reports whatever went wrong, with its line
        return None


def _publish(options: BuildOptions, state: PreviewState, files: dict[PurePosixPath, bytes]) -> tuple[int, int]:
    """Bring the served folder to ``files``; return (files written, files removed)."""
    with folder_lock(options.out.resolve().parent, str(options.out)):  # a `build` into it takes its turn
        written, removed, digests = update_site(files, options.out, state.files, state.digests)
    with state.lock:
        state.files, state.digests = files, digests
    return written, removed


def preview_saved(options: BuildOptions, state: PreviewState, saved: set[Path]) -> str | None:
    """Show a saved document's own page at once, before the rebuild (see ``page_preview``).

    Only for one saved article that passes its own checks; returns a line for the terminal.
    """
    if state.preview is None or state.error or len(saved) != 1:
        return None
    started = time.perf_counter()
    with state.publishing:
        page = _preview_page(state.preview, next(iter(saved)))
        if page is None:
            return None
        output_path, data = page
        if state.good_files is None:
            state.good_files = state.files
        _publish(options, state, {**state.files, output_path: data})
        with state.lock:
            state.generation += 1
    return f"preview of {output_path} in {time.perf_counter() - started:.2f} s; rebuilding the rest"


class Rebuilder:
    """Rebuilds on a thread of its own, so that a save made during a rebuild is previewed at once.

    Saves during a rebuild are gathered and rebuilt together when it ends.
    """

    def __init__(self, options: BuildOptions, state: PreviewState, report):
        self.options, self.state, self.report = options, state, report
        self.condition = threading.Condition()
        self.saved: set[Path] = set()
        self.wanted = self.stopped = False
        self.thread = threading.Thread(target=self._run, name="rebuild", daemon=True)
        self.thread.start()

    def request(self, saved: set[Path]) -> None:
        with self.condition:
            self.saved |= saved
            self.wanted = True
            self.condition.notify()

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify()
        self.thread.join(1.0)  # a rebuild under way is not waited for: every file it writes is whole

    def _saved_meanwhile(self) -> set[Path]:
        with self.condition:
            return set(self.saved)

    def _run(self) -> None:
        while True:
            with self.condition:
                while not (self.wanted or self.stopped):
                    self.condition.wait()
                if self.stopped:
                    return
                self.wanted, self.saved = False, set()
            try:
                line = rebuild(self.options, self.state, self._saved_meanwhile)
                collect_after_build()
                self.report(line)
            except Exception as error:  # keep serving; say what went wrong
                print(f"karabakh-site: rebuild failed: {error!r}", file=sys.stderr, flush=True)


SEARCH_DELAY = 2.0
"""Seconds without a save before the search index is built again (it takes a while at scale)."""


class SearchRefresher:
    """Index the served site again after saves: debounced, in the background (#13).

    Each save restarts the delay; the index is rebuilt on a thread of its own and swapped
    in whole, so searches meanwhile use the last good index.
    """

    def __init__(self, out: Path, language: str | None, delay: float = SEARCH_DELAY):
        self.out, self.language, self.delay = out, language, delay
        self.timer: threading.Timer | None = None
        self.running = threading.Lock()
        self.refreshed = threading.Event()
        """Set after each refresh (for tests and the benchmark)."""

    def schedule(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(self.delay, self.refresh)
        self.timer.daemon = True
        self.timer.start()

    def refresh(self) -> None:
        with self.running, folder_lock(self.out.resolve().parent, str(self.out)):
            try:
                refresh_search(self.out, self.language)
            except Exception as error:  # the last good index stays; say why in the terminal
                print(f"karabakh-site: search index not refreshed: {error}", file=sys.stderr, flush=True)
        self.refreshed.set()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


def serve(options: BuildOptions, port: int, quiet: bool = False) -> int:
    """Build, serve and rebuild on every change until interrupted.

    The port is bound before the build: a busy port must not cost the previous output.
    """
    state = PreviewState()
    server = PreviewServer(port, state)
    try:
        report = build(options, state.cache, keep_files=True)
        state.files, state.digests = report.files, read_manifest(options.out)
        state.preview = DocumentPreview(options.content, report.linked, report.environment).prepared()
        collect_after_build()
        server.start_serving(options.out)
        refresher = SearchRefresher(options.out, search_language(report.linked.site.config)) if options.search else None
        try:
            _watch(options, state, server, quiet, refresher)
        finally:
            if refresher is not None:
                refresher.cancel()
            server.shutdown()
    finally:
        server.server_close()
    return 0


def _watch(options: BuildOptions, state: PreviewState, server: PreviewServer, quiet: bool,
           refresher: SearchRefresher | None = None) -> None:
    """Print where the site is served, then rebuild on every change until interrupted."""
    import watchfiles

    # Rebuilds run beside the server's threads, where forking worker processes is unsafe.
    options = dataclasses.replace(options, workers=1)
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    theme = [*theme_template_dirs(options.theme_templates), *theme_static_dirs(options.static)]
    watched = [p for p in (options.content, *options.templates, *theme) if p.exists()]
    print(f"karabakh-site: serving {options.out} at {address}", flush=True)
    print(f"karabakh-site: watching {', '.join(map(str, watched))}; Ctrl+C to stop", flush=True)

    def report(line: str) -> None:
        if refresher is not None and not state.error:
            refresher.schedule()
        if not quiet or state.error:
            print(line, file=sys.stderr if state.error else sys.stdout, flush=True)

    rebuilder = Rebuilder(options, state, report)
    try:
        for changes in watchfiles.watch(*watched, debounce=50, step=20, raise_interrupt=False):
            saved = {Path(path) for _, path in changes}
            first = preview_saved(options, state, saved)
            if first is not None and not quiet:
                print(first, flush=True)
            rebuilder.request(saved)
    finally:
        rebuilder.stop()
