"""Shared fixtures: the sample site built once per session, parsed pages, tiny sites from dicts."""

from __future__ import annotations

import textwrap
from pathlib import Path, PurePosixPath

import lxml.html
import pytest

from karabakh_site.commands.build import BuildOptions, build
from support import tools
from support.report import FIGURES
from support.server import SiteServer

TESTS = Path(__file__).parent
PROJECT = TESTS.parent
FIXTURE_SITE = TESTS / "fixtures" / "site"
THEME = PROJECT / "templates"
STATIC = PROJECT / "static"

MINIMAL_SITE = {
    "site.yaml": """\
        title: Mini
        base_url: https://example.org/mini/
        """,
    "chronology.yaml": """\
        territories:
          - id: shusha
            name: Shusha
            aliases: [Shushi]
            area_km2: 289
        events:
          - id: occupation-shusha
            date: "1992-05-08"
            title: "Shusha: “occupation” date"
            kind: occupation
            territories: [shusha]
            sources: [{article: source-of-events, quote: "Dated May 8, 1992"}]
        """,
    "articles/one.md": """\
        ---
        title: One
        date: "2025-07-19"
        source:
          name: Outlet
        territories: [shusha]
        ---
        Body of one.
        """,
    "articles/source-of-events.md": """\
        ---
        title: Source of events
        source:
          note: A test text that names no outlet.
        ---
        Dated May 8, 1992.
        """,
}


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch):
    """Every test starts outside GitHub Actions, where the CLI prints annotations by itself (#17).

    Why: the workflow runs this suite inside a job that sets GITHUB_ACTIONS=true; a test of
    that behaviour sets it itself, so the suite behaves the same on a laptop and in the job.
    """
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def options_for(content: Path, out: Path, **extra) -> BuildOptions:
    """Build options that use the project's theme whatever the working folder.

    The search index is off unless asked for: it is the slowest step and only the
    browser tests use it.
    """
    extra.setdefault("search", False)
    extra.setdefault("theme_templates", THEME)
    extra.setdefault("static", STATIC)
    return BuildOptions(content=content, out=out, **extra)


def write_site(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write MINIMAL_SITE overlaid with ``files`` (None deletes a file) under ``root``."""
    merged: dict[str, str | bytes | None] = {**MINIMAL_SITE, **files}
    for name, text in merged.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path):
    """Return a function writing a small site into a fresh folder and returning its path."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_site(tmp_path / f"site{next(counter)}", files or {})

    return make


class BuiltSite:
    """A built output folder with helpers to read and parse its pages."""

    def __init__(self, out: Path, report):
        self.out = out
        self.report = report

    def page(self, path: str):
        """Parse the page at an output path or folder URL ('territories/shusha/')."""
        file = self.out / path
        if path.endswith("/") or path == "":
            file = file / "index.html"
        return lxml.html.fromstring(file.read_bytes())

    def html_paths(self) -> list[PurePosixPath]:
        return sorted(PurePosixPath(p.relative_to(self.out).as_posix()) for p in self.out.rglob("*.html"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> BuiltSite:
    """The small sample site under tests/fixtures/site, built once."""
    out = tmp_path_factory.mktemp("fixture") / "build"
    report = build(options_for(FIXTURE_SITE, out))
    return BuiltSite(out, report)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> BuiltSite:
    """The archive's real content/, built once."""
    out = tmp_path_factory.mktemp("real") / "build"
    report = build(options_for(PROJECT / "content", out))
    return BuiltSite(out, report)


# --- Browser and validator fixtures (issue 4) -------------------------------------------

class PublishedSite(BuiltSite):
    """The real archive built for, and served from, a local host under a subpath."""

    def __init__(self, out: Path, report, base_url: str):
        super().__init__(out, report)
        self.base_url = base_url

    def http_url(self, path: PurePosixPath | str) -> str:
        return self.base_url + str(path)

    def file_url(self, path: PurePosixPath | str) -> str:
        return (self.out / str(path)).as_uri()


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The real content built once with base_url = a local server under /archive/, served."""
    out = tmp_path_factory.mktemp("published") / "build"
    with SiteServer(out, "/archive/") as server:
        report = build(options_for(PROJECT / "content", out, base_url=server.base_url, search=True))
        yield PublishedSite(out, report, server.base_url)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"playwright is not installed: {tools.INSTALL_HINT}", pytrace=False)
    executable = tools.chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=tools.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts: new_page(width=375, color_scheme='dark')."""
    contexts = []

    def open_page(width: int = 1280, height: int = 800, color_scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                                      bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    """Print the figures the validators measured (pages, Nu errors, axe violations, Lighthouse)."""
    if FIGURES:
        terminalreporter.section("site validation figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
