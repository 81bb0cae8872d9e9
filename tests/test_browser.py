"""The real site in a real browser: hosting modes, navigation, keyboard, viewports, colour schemes."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.checks import html_pages

PROJECT = Path(__file__).resolve().parents[1]
SCREENSHOTS = PROJECT / "build-artifacts" / "screenshots"
ARTICLE = "articles/aliyev-kalbajar-return-speech-2025/index.html"
TERRITORY = "territories/kalbajar/index.html"
KEY_PAGES = {"home": "index.html", "article": ARTICLE, "chronology": "chronology/index.html", "territory": TERRITORY}


class PageProblems:
    """Collect console errors, uncaught exceptions and failed or erroring requests of a page."""

    def __init__(self, page):
        self.items: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.items.append(f"exception: {e}"))
        page.on("requestfailed", self._on_failed)
        page.on("response", lambda r: r.status >= 400 and self.items.append(f"HTTP {r.status}: {r.url}"))

    def _on_failed(self, request) -> None:
        # ERR_ABORTED: the test navigated away while the page was still loading something
        # (e.g. the search worker); it is not a broken resource.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.items.append(f"failed: {request.url} {request.failure}")

    def _on_console(self, message) -> None:
        # "Failed to load resource" repeats a failed response, which is recorded with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.items.append(f"console: {message.text}")


@pytest.mark.parametrize("mode", ["http-subpath", "file"])
def test_every_page_and_asset_loads_without_errors(published_site, new_page, mode):
    page = new_page()
    problems = PageProblems(page)
    pages = [p for p in html_pages(published_site.out) if p.name != "404.html" or mode == "http-subpath"]
    loaded = 0
    for path in pages:
        url = published_site.http_url(path) if mode == "http-subpath" else published_site.file_url(path)
        page.goto(url, wait_until="load")
        assert page.evaluate("document.styleSheets.length") >= 1, path
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid", path
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"):
            if href.startswith(("file:", published_site.base_url)):
                assert not href.endswith("/"), (path, href)  # folder links would list a directory from disk
        loaded += 1
    assert problems.items == []
    assert loaded >= 20


def test_missing_address_gets_the_styled_404_page_at_any_depth(published_site, new_page):
    page = new_page()
    problems = PageProblems(page)
    response = page.goto(published_site.base_url + "no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
    page.get_by_role("link", name="Chronology").first.click()
    assert page.locator("h1").inner_text() == "Chronology"
    assert [p for p in problems.items if "no/such/page" not in p] == []


def test_reader_journey_home_article_territory_chronology_and_back(published_site, new_page):
    page = new_page()
    page.goto(published_site.http_url("index.html"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
    assert page.locator("h1").inner_text() == "Documents"
    page.get_by_role("link", name="Aliyev’s speech to former residents returning to Kalbajar").click()
    assert page.locator("h1").inner_text() == "Aliyev’s speech to former residents returning to Kalbajar"
    page.get_by_text("Summary, tags and territories").click()  # below the speakers, closed at first (#15)
    page.locator("details.doc-details dl.meta").get_by_role("link", name="Kalbajar", exact=True).click()
    assert page.url == published_site.http_url(TERRITORY)
    assert page.locator("h1").inner_text() == "Kalbajar"
    page.get_by_role("link", name="2 April 1993: Kalbajar: date of “occupation” given by “The Occupation in Figures”").click()
    assert page.url.endswith("chronology/index.html#event-occupation-kalbajar")
    assert page.locator("#event-occupation-kalbajar").is_visible()
    page.go_back()
    assert page.locator("h1").inner_text() == "Kalbajar"


def test_a_quote_leads_to_its_paragraph_and_the_article_to_its_original(published_site, new_page):
    page = new_page(width=390)
    page.goto(published_site.http_url("chronology/index.html"))
    quote = page.locator("#event-occupation-kalbajar figure.event-quote").first
    words = quote.locator("blockquote").inner_text()
    quote.locator("figcaption a").first.click()
    fragment = page.url.rsplit("#", 1)[1]
    assert fragment.startswith("p-")
    paragraph = page.locator(f"[id='{fragment}']")
    assert paragraph.is_visible() and words in paragraph.inner_text()
    page.get_by_role("link", name="Compare with the original").click()
    assert page.locator("h1").inner_text().startswith("Compared with the original")
    assert page.locator(".compare-text").is_visible()


def focused(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {text: e.innerText || (e.labels && e.labels[0] ? e.labels[0].innerText : ""), id: e.id, tag: e.tagName, top: r.top, bottom: r.bottom,
                outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth)};
    }""")


def test_keyboard_only_skip_link_focus_and_tab_order(published_site, new_page):
    page = new_page()
    page.goto(published_site.http_url(ARTICLE))
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content"
    assert skip["top"] >= 0 and skip["bottom"] <= 800, "skip link must be visible when focused"
    assert skip["outline"] != "none" and skip["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Documents"  # the kicker link: first in main after the skip
    page.goto(published_site.http_url(ARTICLE))
    order = []
    for _ in range(13):
        page.keyboard.press("Tab")
        order.append(focused(page)["text"])
    assert order == ["Skip to main content", "Karabakh Archive", "Search the archive", "Search",
                     "English", "Azərbaycanca", "Русский", "Հայերեն", "Home",
                     "Documents", "Chronology", "Territories", "About this archive"]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_horizontal_scrolling_and_readable_text(published_site, new_page, width):
    page = new_page(width=width)
    for path in html_pages(published_site.out):
        page.goto(published_site.http_url(path))
        sizes = page.evaluate("""() => ({
            scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
            font: parseFloat(getComputedStyle(document.querySelector('main .prose p') || document.querySelector('main .lede') || document.body).fontSize),
            navRight: document.querySelector('.site-nav ul').getBoundingClientRect().right,  // its links may scroll in it (#16)
        })""")
        assert sizes["scroll"] <= sizes["client"], (str(path), sizes)
        assert sizes["font"] >= 16, (str(path), sizes)
        assert sizes["navRight"] <= width, (str(path), sizes)


def luminance(rgb: str) -> float:
    """Relative luminance of a CSS 'rgb(r, g, b)' colour."""
    channels = [int(float(c)) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(page) -> float:
    colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    lighter, darker = sorted(map(luminance, colours), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_dark_scheme_and_print_are_legible(published_site, new_page):
    dark = new_page(color_scheme="dark")
    dark.goto(published_site.http_url(ARTICLE))
    background = dark.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < 0.05
    assert contrast(dark) >= 7
    printed = new_page()
    printed.emulate_media(media="print")
    printed.goto(published_site.http_url(ARTICLE))
    assert printed.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
    assert contrast(printed) >= 15
    pdf = printed.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


PAGE_KINDS = {
    **KEY_PAGES,
    "documents": "articles/index.html",
    "territories": "territories/index.html",
    "tag": "tags/karabakh-armenians/index.html",
    "speaker": "speakers/ilham-aliyev/index.html",
    "source": "sources/azertac/index.html",
    "year": "years/2025/index.html",
    "originals": "originals/index.html",
    "compare": "articles/aliyev-kalbajar-return-speech-2025/compare/index.html",
    "data": "data/index.html",
    "about": "about/index.html",
    "search": "search/index.html?q=Shusha",
    "not-found": "404.html",
}
"""One page of every kind a reader meets, photographed for review (#15)."""


def test_screenshots_of_every_page_kind_for_review(published_site, new_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken = []
    for scheme in ("light", "dark"):
        for width in (390, 1280):
            page = new_page(width=width, color_scheme=scheme)
            for name, path in PAGE_KINDS.items():
                page.goto(published_site.http_url(path))
                if name == "search":
                    page.wait_for_selector("[data-search-results] li")
                file = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(file), full_page=True)
                taken.append(file)
    assert len(taken) == 4 * len(PAGE_KINDS)
    assert all(file.stat().st_size > 5_000 for file in taken)


def test_search_from_the_header_finds_the_kalbajar_speech_first(published_site, new_page):
    page = new_page()
    problems = PageProblems(page)
    page.goto(published_site.http_url("index.html"))
    page.get_by_role("searchbox", name="Search the archive").fill("Kalbajar")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-search-results] li")
    assert page.url.startswith(published_site.base_url + "search/index.html?q=Kalbajar")
    results = page.locator("[data-search-results] li")
    assert results.first.locator("h2").inner_text() == "Aliyev’s speech to former residents returning to Kalbajar"
    assert results.first.locator(".doc-meta").inner_text() == "21 August 2025 · News.Az, citing AZERTAC"
    assert results.first.locator("mark").first.inner_text().casefold().startswith("kalbajar")
    assert "found for “Kalbajar”" in page.locator("[data-search-status]").inner_text()
    assert sorted(page.locator("[data-search-filters] select").evaluate_all("els => els.map(e => e.name)")) == [
        "tag", "territory", "type", "year"]
    page.locator("select[name=year]").select_option("Undated")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.startsWith('2 results')")
    assert sorted(results.locator("h2").all_inner_texts()) == [
        "Azerbaijan says it will never allow another Armenian state to be created in its sovereign territory",
        "The Occupation in Figures"]
    assert "year=Undated" in page.url
    results.locator("a", has_text="The Occupation in Figures").click()
    assert page.locator("h1").inner_text() == "The Occupation in Figures"
    assert problems.items == []


def test_search_page_explains_itself_without_javascript(published_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(published_site.http_url("search/index.html?q=Kalbajar"))
    assert "Search needs JavaScript" in page.locator("[data-search-status]").inner_text()
    context.close()


def test_content_security_policy_blocks_inline_script(published_site, browser):
    context = browser.new_context()  # no CSP bypass
    page = context.new_page()
    page.goto(published_site.http_url(ARTICLE))
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = true'; document.body.append(s); return window.__injected === true; }""")
    assert ran is False
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    context.close()


def test_a_draft_shows_its_banner_in_a_preview(tmp_path, new_page):
    """A `new` article built by `build --drafts` opens with the Draft banner, seen first (#14)."""
    import shutil

    from karabakh_site.commands.build import build
    from karabakh_site.commands.newdoc import new_document

    from conftest import options_for

    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    path = new_document(content, "article", "Шуша Շուշի: an unfinished report")
    out = tmp_path / "build"
    build(options_for(content, out, drafts=True))
    page = new_page(width=1280)
    problems = PageProblems(page)
    page.goto((out / "articles" / path.stem / "index.html").as_uri())
    banner = page.locator(".draft-banner")
    assert banner.inner_text().startswith("DRAFT")  # text-transform: uppercase on the label
    assert banner.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    box = banner.bounding_box()
    assert box["y"] + box["height"] < page.locator("h1").bounding_box()["y"]  # above the title
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    file = SCREENSHOTS / "draft-banner-1280-light.png"
    page.screenshot(path=str(file), full_page=False)
    assert file.stat().st_size > 5_000
    assert problems.items == []
