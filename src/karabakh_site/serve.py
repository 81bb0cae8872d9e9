"""Preview server: build, serve on 127.0.0.1, rebuild on save, reload open pages.

The server knows nothing about content: it calls the build stages, keeps their render
cache between rebuilds (so only pages whose inputs changed are rendered and written),
and tells open pages to reload through a small polled status endpoint. A content error
keeps the last good pages online and shows the error in the terminal and over the page.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

from karabakh_site.build import BuildOptions, build, prepare_site
from karabakh_site.cache import BuildCache
from karabakh_site.errors import BuildFailed
from karabakh_site.write import update_site

STATUS_PATH = "/__karabakh__/status"
SCRIPT_PATH = "/__karabakh__/reload.js"
RELOAD_SCRIPT = (Path(__file__).parent / "reload.js").read_bytes()
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()


@dataclass
class PreviewState:
    """What the server tells open pages: which build they show and the current error."""

    generation: int = 0
    error: str | None = None
    files: dict[PurePosixPath, bytes] = field(default_factory=dict)
    cache: BuildCache = field(default_factory=BuildCache)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Serve the output folder; add the reload script to HTML pages; answer status polls."""

    state: PreviewState

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.path.split("?")[0] == STATUS_PATH:
            return self._send(self.state.status(), "application/json")
        if self.path.split("?")[0] == SCRIPT_PATH:
            return self._send(RELOAD_SCRIPT, "text/javascript")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", SCRIPT_TAG + b"\n</body>", 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


def start_server(out: Path, port: int, state: PreviewState) -> ThreadingHTTPServer:
    """Serve ``out`` on 127.0.0.1 in a background thread; port 0 picks a free port."""
    handler = type("Handler", (_PreviewHandler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rebuild(options: BuildOptions, state: PreviewState) -> str:
    """Rebuild after a change; write only what changed; return a line for the terminal."""
    started = time.perf_counter()
    try:
        report = prepare_site(options, state.cache)
    except BuildFailed as failure:
        with state.lock:
            state.error = str(failure)
            state.generation += 1
        return str(failure)
    written, removed = update_site(report.files, options.out, state.files)
    with state.lock:
        state.files, state.error = report.files, None
        state.generation += 1
    seconds = time.perf_counter() - started
    pages = state.cache.pages
    return (f"rebuilt in {seconds:.2f} s: rendered {len(pages.rendered)} of {len(pages.entries)} "
            f"pages, wrote {written} files, removed {removed}")


def serve(options: BuildOptions, port: int, quiet: bool = False) -> int:
    """Build, serve and rebuild on every change until interrupted."""
    import watchfiles

    state = PreviewState()
    report = build(options, state.cache)
    # Rebuilds run beside the server's threads, where forking worker processes is unsafe.
    options = dataclasses.replace(options, workers=1)
    state.files = report.files
    server = start_server(options.out, port, state)
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    watched = [p for p in (options.content, *options.templates, options.theme_templates, options.static) if p and p.exists()]
    print(f"karabakh-site: serving {options.out} at {address}", flush=True)
    print(f"karabakh-site: watching {', '.join(map(str, watched))}; Ctrl+C to stop", flush=True)
    try:
        for _changes in watchfiles.watch(*watched, debounce=50, step=20, raise_interrupt=False):
            line = rebuild(options, state)
            if not quiet or state.error:
                print(line, file=sys.stderr if state.error else sys.stdout, flush=True)
    finally:
        server.shutdown()
    return 0
