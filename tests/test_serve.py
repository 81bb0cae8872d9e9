"""The preview server: incremental rebuilds that equal full builds, live reload, errors kept visible."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from karabakh_site.commands.build import prepare_site
from karabakh_site.cache import BuildCache

from conftest import FIXTURE_SITE, PROJECT, options_for


@pytest.fixture
def site_copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, root)
    return root


def test_unchanged_input_renders_nothing(site_copy, tmp_path):
    cache = BuildCache()
    options = options_for(site_copy, tmp_path / "out")
    first = prepare_site(options, cache)
    assert len(cache.pages.rendered) == len(cache.pages.entries) > 20
    second = prepare_site(options, cache)
    assert cache.pages.rendered == []
    assert second.files == first.files


def test_a_territory_change_rerenders_the_pages_that_show_it_and_equals_a_full_build(site_copy, tmp_path):
    cache = BuildCache()
    options = options_for(site_copy, tmp_path / "out")
    prepare_site(options, cache)
    chronology = site_copy / "chronology.yaml"
    chronology.write_text(chronology.read_text().replace("name: Fizuli", "name: Fuzuli (Fizuli)"))
    incremental = prepare_site(options, cache)
    rendered = {str(p) for p in cache.pages.rendered}
    assert {"territories/fizuli/index.html", "territories/index.html", "articles/figures/index.html",
            "articles/kalbajar-speech/index.html", "territories/fizuli/feed.xml"} <= rendered
    assert "articles/forum-report/index.html" not in rendered  # does not show Fizuli
    assert "about/index.html" not in rendered
    assert incremental.files == prepare_site(options).files  # byte-identical to a clean build


def test_a_template_change_rerenders_every_page(site_copy, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "templates", theme)
    cache = BuildCache()
    options = options_for(site_copy, tmp_path / "out", theme_templates=theme)
    prepare_site(options, cache)
    base = theme / "base.html"
    base.write_text(base.read_text().replace('<body>', '<body class="changed">'))
    incremental = prepare_site(options, cache)
    assert len(cache.pages.rendered) == len(cache.pages.entries)
    page = lxml.html.fromstring(incremental.files[next(p for p in incremental.files if str(p) == "index.html")])
    assert page.cssselect("body")[0].get("class") == "changed"


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(condition, timeout: float = 10.0) -> float:
    """Poll ``condition`` until true; return the seconds it took."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise AssertionError("timed out")
        time.sleep(0.02)
    return time.perf_counter() - started


@pytest.fixture
def server(site_copy, tmp_path):
    """`karabakh-site serve` on a free port, as a separate process; yields its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "karabakh_site", "serve", "--port", "0", "--no-search", "--content", str(site_copy),
         "--out", str(tmp_path / "build"), "--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("karabakh-site: serving"), line + process.stderr.read()
    address = line.split(" at ")[1].strip()
    process.stdout.readline()  # "watching ..."
    time.sleep(0.3)  # let the watcher start
    yield address, site_copy
    process.terminate()
    process.wait(timeout=10)


def h1_of(address: str, path: str) -> str:
    return lxml.html.fromstring(fetch(address + path)[1]).cssselect("h1")[0].text_content()


def test_serve_rebuilds_on_save_and_keeps_last_good_pages_on_error(server):
    address, content = server
    assert h1_of(address, "about/index.html") == "About"
    status = json.loads(fetch(address + "__karabakh__/status")[1])
    assert status == {"generation": 0, "error": None}
    page = content / "pages" / "about.md"
    page.write_text(page.read_text().replace("title: About", "title: About the test archive"))
    seconds = wait_for(lambda: h1_of(address, "about/index.html") == "About the test archive")
    print(f"save visible over HTTP after {seconds:.2f} s")
    assert seconds < 1.0
    (content / "articles" / "broken.md").write_text("---\ntitle: [oops\n---\n")
    wait_for(lambda: json.loads(fetch(address + "__karabakh__/status")[1])["error"])
    error = json.loads(fetch(address + "__karabakh__/status")[1])["error"]
    assert error.splitlines()[0].endswith("articles/broken.md:3:1: invalid YAML: did not find expected ',' or ']'")
    assert fetch(address + "about/index.html")[0] == 200
    assert h1_of(address, "about/index.html") == "About the test archive"
    (content / "articles" / "broken.md").unlink()
    wait_for(lambda: json.loads(fetch(address + "__karabakh__/status")[1])["error"] is None)


def test_open_pages_reload_and_show_errors_as_an_overlay(server, new_page):
    address, content = server
    page = new_page()
    page.goto(address + "articles/kalbajar-speech/index.html")
    page.wait_for_function("document.querySelector('script[src$=\"reload.js\"]') !== null")
    page.wait_for_timeout(400)  # the script has read the current generation
    article = content / "articles" / "kalbajar-speech.md"
    started = time.perf_counter()
    article.write_text(article.read_text().replace('title: "Speech in Kalbajar"', 'title: "Speech in Kalbajar, edited"'))
    page.wait_for_function("document.querySelector('h1').textContent === 'Speech in Kalbajar, edited'", timeout=5000)
    seconds = time.perf_counter() - started
    print(f"save visible in the browser after {seconds:.2f} s")
    assert seconds < 1.0
    article.write_text(article.read_text().replace('date: "2025-08-21"', 'date: "2025-02-30"'))
    overlay = page.wait_for_selector("#karabakh-error-overlay", timeout=5000)
    assert "kalbajar-speech.md:3:7: invalid EDTF date '2025-02-30'" in overlay.text_content()
    assert page.locator("h1").text_content() == "Speech in Kalbajar, edited"


def test_search_is_indexed_again_after_a_save_and_swapped_in_whole(site_copy, tmp_path):
    import json

    from karabakh_site.commands.build import build
    from karabakh_site.commands.serve import PreviewState, SearchRefresher, rebuild

    out = tmp_path / "out"
    options = options_for(site_copy, out, search=True)
    state = PreviewState()
    state.files = build(options, state.cache, keep_files=True).files
    entry = out / "pagefind" / "pagefind-entry.json"

    def indexed_pages() -> int:
        return sum(language["page_count"] for language in json.loads(entry.read_text())["languages"].values())

    before = indexed_pages()
    (site_copy / "articles" / "added.md").write_text(
        "---\ntitle: Added later\nsource: {name: Outlet}\ndate: \"2024-01-02\"\n---\nA saved page about zanzibarite.\n")
    rebuild(options, state)
    assert indexed_pages() == before  # not yet: the index is rebuilt after a quiet moment
    refresher = SearchRefresher(out, "en", delay=0.05)
    refresher.schedule()
    assert refresher.refreshed.wait(60)
    assert indexed_pages() == before + 1
    assert not [p for p in out.iterdir() if p.name.startswith(".pagefind.")]  # no staging left behind


def _served(site_copy, tmp_path):
    """A served folder as ``serve`` starts it: built, with the state the watcher keeps."""
    from karabakh_site.commands.build import build
    from karabakh_site.commands.page_preview import DocumentPreview
    from karabakh_site.commands.serve import PreviewState
    from karabakh_site.output.write import read_manifest

    options = options_for(site_copy, tmp_path / "out")
    state = PreviewState()
    report = build(options, state.cache, keep_files=True)
    state.files, state.digests = report.files, read_manifest(options.out)
    state.preview = DocumentPreview(options.content, report.linked, report.environment)
    return options, state


def _paragraphs(path: Path) -> list[str]:
    return [p.text_content() for p in lxml.html.parse(str(path)).getroot().iter("p")]


def test_a_saved_document_shows_at_once_then_the_rebuild_equals_a_clean_build(site_copy, tmp_path):
    from karabakh_site.commands.serve import preview_saved, rebuild

    options, state = _served(site_copy, tmp_path)
    saved = site_copy / "articles" / "forum-report.md"
    saved.write_text(saved.read_text().replace("A report.", "A report, saved again."))
    generation = state.generation
    line = preview_saved(options, state, {saved})
    assert line is not None and line.startswith("preview of articles/forum-report/index.html")
    assert state.generation == generation + 1
    page = options.out / "articles" / "forum-report" / "index.html"
    assert any("A report, saved again." in text for text in _paragraphs(page))
    rebuild(options, state)
    assert state.error is None and state.good_files is None
    clean = prepare_site(options_for(site_copy, tmp_path / "clean"))
    on_disk = {path: (options.out / path).read_bytes() for path in clean.files}
    assert on_disk == clean.files


def test_a_preview_is_taken_back_when_the_rebuild_finds_errors(site_copy, tmp_path):
    from karabakh_site.commands.serve import preview_saved, rebuild

    options, state = _served(site_copy, tmp_path)
    page = options.out / "articles" / "forum-report" / "index.html"
    before = page.read_bytes()
    saved = site_copy / "articles" / "forum-report.md"
    # Passes the document's own checks, fails the site's: the archive may not assert in its own voice.
    saved.write_text(saved.read_text().replace("date_note: The text refers to a visit",
                                                "date_note: The text refers to a visit after the occupation"))
    assert preview_saved(options, state, {saved}) is not None
    assert page.read_bytes() != before
    assert "occupation" in rebuild(options, state)
    assert page.read_bytes() == before and state.error


@pytest.mark.parametrize("change", ["broken front matter", "new document", "two files", "a template"])
def test_what_the_preview_cannot_show_waits_for_the_rebuild(site_copy, tmp_path, change):
    from karabakh_site.commands.serve import preview_saved

    options, state = _served(site_copy, tmp_path)
    saved = {site_copy / "articles" / "forum-report.md"}
    if change == "broken front matter":
        path = next(iter(saved))
        path.write_text(path.read_text().replace("title: Forum report", "title: [Forum report"))
    elif change == "new document":
        saved = {site_copy / "articles" / "new-one.md"}
        next(iter(saved)).write_text("---\ntitle: New\nsource:\n  note: x\n---\nText.\n")
    elif change == "two files":
        saved.add(site_copy / "articles" / "figures.md")
    else:
        saved = {PROJECT / "templates" / "base.html"}
    before = {path: (options.out / path).read_bytes() for path in state.files}
    assert preview_saved(options, state, saved) is None
    assert {path: (options.out / path).read_bytes() for path in state.files} == before
