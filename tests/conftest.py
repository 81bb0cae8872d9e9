"""Shared fixtures: the sample site built once per session, parsed pages, tiny sites from dicts."""

from __future__ import annotations

import textwrap
from pathlib import Path, PurePosixPath

import lxml.html
import pytest

from karabakh_site.build import BuildOptions, build
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


def options_for(content: Path, out: Path, **extra) -> BuildOptions:
    """Build options that use the project's theme whatever the working folder.

    The search index is off unless asked for: it is the slowest step and only the
    browser tests use it. A language the shipped content lists without its strings file
    in the theme yet gets a stand-in (see ``stand_in_strings``).
    """
    extra.setdefault("search", False)
    extra.setdefault("theme_templates", THEME)
    extra.setdefault("static", STATIC)
    stand_ins = stand_in_strings() if _is_shipped_content(Path(content)) else None
    if stand_ins is not None:
        extra["templates"] = (*extra.get("templates", ()), stand_ins)
    return BuildOptions(content=content, out=out, **extra)


_STAND_INS: list[Path] = []


def _is_shipped_content(content: Path) -> bool:
    """Whether ``content`` is the shipped content or a copy of it (its site.yaml unchanged)."""
    site = content / "site.yaml"
    return site.is_file() and site.read_bytes() == (PROJECT / "content" / "site.yaml").read_bytes()


def stand_in_arguments() -> list[str]:
    """The command line's ``--templates`` for the stand-in strings, when the shipped content needs them."""
    folder = stand_in_strings()
    return ["--templates", str(folder)] if folder is not None else []


def stand_in_strings() -> Path | None:
    """A template folder with strings/<language>.yaml, a copy of en.yaml, for each language of
    content/site.yaml that the theme has no strings for; None when it has them all (#16).

    Why: the translations are written apart from the language trees and merged first; until
    then the shipped site, which lists every language, is built with English stand-ins, so the
    trees, their links and their validity are tested all the same. Never part of the theme.
    """
    import tempfile

    import yaml

    languages = yaml.safe_load((PROJECT / "content" / "site.yaml").read_text(encoding="utf-8")).get("languages") or []
    missing = [tag for tag in languages if not (THEME / "strings" / f"{tag}.yaml").is_file()]
    if not missing:
        return None
    if not _STAND_INS:
        _STAND_INS.append(Path(tempfile.mkdtemp(prefix="karabakh-stand-in-strings-")))
    folder = _STAND_INS[0]
    (folder / "strings").mkdir(exist_ok=True)
    english = (THEME / "strings" / "en.yaml").read_bytes()
    for tag in missing:
        stand_in = folder / "strings" / f"{tag}.yaml"
        if not stand_in.is_file() or stand_in.read_bytes() != english:  # rewritten, it would count as a change
            stand_in.write_bytes(english)
    return folder


def pytest_sessionfinish(session, exitstatus):
    import shutil
    for folder in _STAND_INS:
        shutil.rmtree(folder, ignore_errors=True)


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
