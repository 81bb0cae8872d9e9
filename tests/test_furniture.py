"""Page furniture (#15): citations, territory pages, the home page, the header and footer in a real browser."""

from __future__ import annotations

import dataclasses
import re

import pytest

from karabakh_site.render.cite import plain_citation
from karabakh_site.render.strings import load_strings

from conftest import PROJECT

STRINGS = load_strings([PROJECT / "templates"], "en")[0]
DOUBLED_STOP = re.compile(r"[.!?…][”’\"'»]*\.")


# --- Citations: one stop, never two ----------------------------------------------------------

def cite(real_site, **changes) -> str:
    linked = real_site.report.linked
    article = linked.article_by_slug["aliyev-kalbajar-return-speech-2025"]
    if "source" in changes:
        changes["source"] = dataclasses.replace(article.source, **changes["source"])
    return plain_citation(dataclasses.replace(article, **changes), linked.site.config, "URL", STRINGS)


@pytest.mark.parametrize("title, start", [
    ("Aliyev spoke, reports AZERTAC.", "“Aliyev spoke, reports AZERTAC.” News.Az"),
    ("Who returns?", "“Who returns?” News.Az"),
    ("Welcome home!", "“Welcome home!” News.Az"),
    ("Back to ‘the city.’", "“Back to ‘the city.’” News.Az"),
    ("A headline", "“A headline”. News.Az"),
])
def test_a_title_ending_in_its_own_stop_gets_no_second_one(real_site, title, start):
    citation = cite(real_site, title=title, title_by="source")
    assert citation.startswith(start)
    assert not DOUBLED_STOP.search(citation)


def test_a_speaker_ending_in_a_stop_gets_no_second_one(real_site):
    citation = cite(real_site, speakers=("A. B. Jr.",))
    assert "Speakers: A. B. Jr. In:" in citation


def test_an_abbreviation_in_brackets_still_ends_with_a_stop(real_site):
    citation = cite(real_site, speakers=("Someone (approx.)",))
    assert "Speakers: Someone (approx.). In:" in citation


def test_no_citation_on_any_article_page_ends_a_part_with_a_doubled_stop(real_site):
    pages = [real_site.page(f"articles/{a.slug}/") for a in real_site.report.linked.articles_by_date]
    citations = [p.cssselect("p.citation")[0].text_content() for p in pages]
    assert len(citations) >= 5
    for citation in citations:
        assert not DOUBLED_STOP.search(citation.rsplit(" ", 1)[0]), citation


# --- Territory pages: each document once, its mentions grouped under it --------------------------

@pytest.mark.parametrize("territory", ["kalbajar", "shusha"])
def test_each_document_appears_once_with_its_mentions_grouped_under_it(real_site, territory):
    page = real_site.page(f"territories/{territory}/")
    main = page.cssselect("main")[0]
    titles = [a.get("href") for a in main.cssselect("li.doc-item .doc-title a, article.kwic-group h4 a")]
    assert titles and len(titles) == len(set(titles)), titles
    for item in main.cssselect("li.doc-item"):
        article = item.cssselect(".doc-title a")[0].get("href")
        for link in item.cssselect("ol.kwic a"):
            assert link.get("href").startswith(article + "#mention-")  # every sentence is this document's
        sentences = [" ".join(li.text_content().split()) for kwic in item.cssselect("ol.kwic") for li in kwic.cssselect("li")]
        assert len(sentences) == len(set(sentences)), sentences  # a sentence naming it twice is shown once


def test_a_sentence_naming_the_territory_twice_is_one_item_with_both_marked(real_site):
    speech = real_site.page("territories/kalbajar/").cssselect("li.doc-item")[0]
    first = speech.cssselect("ol.kwic li")[0]
    assert " ".join(first.text_content().split()) == "Dear natives of Kalbajar, welcome to Kalbajar!"
    assert [m.text for m in first.cssselect("mark")] == ["Kalbajar", "Kalbajar"]
    # the sentences naming the city are under the speech, below the city's name, which leads to its section
    label = speech.cssselect("p.kwic-place")[0]
    assert label.cssselect("a")[0].get("href") == "index.html#place-kalbajar-city"
    assert label.getnext().tag == "ol" and {m.text for m in label.getnext().cssselect("mark")} == {"city of Kalbajar"}


# --- In a real browser: header, footer, home page ---------------------------------------------

PAGE_KINDS = {
    "home": "index.html", "article": "articles/aliyev-kalbajar-return-speech-2025/index.html",
    "documents": "articles/index.html", "chronology": "chronology/index.html", "territories": "territories/index.html",
    "territory": "territories/kalbajar/index.html", "tag": "tags/index.html", "about": "about/index.html",
    "search": "search/index.html", "data": "data/index.html", "originals": "originals/index.html", "404": "404.html",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_header_is_at_most_120_px_high_on_a_phone_on_every_page_kind(published_site, new_page, scheme):
    page = new_page(width=390, height=844, color_scheme=scheme)
    for kind, path in PAGE_KINDS.items():
        page.goto(published_site.http_url(path))
        header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
        assert header <= 120, (kind, header)
        links = page.evaluate("[...document.querySelectorAll('.site-nav a')].map(a => a.getBoundingClientRect().height)")
        assert len(links) >= 4 and min(links) >= 24, (kind, links)  # WCAG 2.2 target size


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_box_does_not_zoom_and_its_button_is_styled_with_visible_focus(published_site, new_page, width):
    for scheme in ("light", "dark"):
        page = new_page(width=width, color_scheme=scheme)
        page.goto(published_site.http_url("index.html"))
        styles = page.evaluate("""() => {
            const input = getComputedStyle(document.querySelector('#site-search-q'));
            const button = getComputedStyle(document.querySelector('.site-search button'));
            const header = getComputedStyle(document.querySelector('.site-header'));
            return {inputFont: parseFloat(input.fontSize), buttonBackground: button.backgroundColor,
                    buttonColour: button.color, headerBackground: header.backgroundColor,
                    buttonHeight: document.querySelector('.site-search button').getBoundingClientRect().height};
        }""")
        assert styles["inputFont"] >= 16, styles  # iOS zooms into a field whose text is smaller
        assert styles["buttonBackground"] not in (styles["headerBackground"], "rgba(0, 0, 0, 0)"), styles
        assert contrast(styles["buttonColour"], styles["buttonBackground"]) >= 4.5, styles
        assert styles["buttonHeight"] >= 24, styles
        page.keyboard.press("Tab")  # the skip link
        for _ in range(3):
            page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return {tag: document.activeElement.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        assert focused["tag"] == "BUTTON" and focused["outline"] != "none" and focused["width"] >= 2, focused


def luminance(rgb: str) -> float:
    channels = [int(float(c)) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("path", ["404.html", "tags/index.html"])
def test_the_footer_stays_at_the_bottom_of_a_short_page(published_site, new_page, path):
    page = new_page(width=1280, height=900)
    page.goto(published_site.http_url(path))
    sizes = page.evaluate("""() => ({footer: document.querySelector('.site-footer').getBoundingClientRect().bottom,
                                      page: document.documentElement.scrollHeight, viewport: innerHeight})""")
    assert sizes["page"] <= sizes["viewport"], "the page must be short for this test to mean something"
    assert sizes["footer"] == pytest.approx(sizes["viewport"], abs=0.5), sizes


def rows_of(boxes: list[dict]) -> list[list[dict]]:
    """Cards that share some of their height with another card are in one row."""
    return [[other for other in boxes if other["top"] < box["bottom"] - 1 and box["top"] < other["bottom"] - 1]
            for box in boxes]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_key_figure_stands_alone_on_a_row(published_site, new_page, width):
    page = new_page(width=width)
    page.goto(published_site.http_url("index.html"))
    boxes = page.evaluate("""[...document.querySelectorAll('dl.figures > div')].map(d => {
        const r = d.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; })""")
    assert len(boxes) == 5
    for box, row in zip(boxes, rows_of(boxes)):
        assert len(row) >= 2, (width, box, boxes)
    assert max(b["right"] for b in boxes) <= width


def test_the_year_axis_places_years_in_order_and_in_proportion_and_links_each_to_its_year(published_site, new_page):
    page = new_page(width=1280)
    page.goto(published_site.http_url("index.html"))
    years = page.evaluate("""[...document.querySelectorAll('ol.year-axis a')].map(a => {
        const r = a.getBoundingClientRect(), spoken = a.cloneNode(true);
        spoken.querySelectorAll('[aria-hidden]').forEach(e => e.remove());  // the count over the bar is shown, not read
        return {year: +a.querySelector('.year-label').textContent, centre: (r.left + r.right) / 2,
                href: a.getAttribute('href'), name: spoken.textContent.replace(/\\s+/g, ' ').trim(),
                bar: a.querySelector('.year-fill').getBoundingClientRect().height};
    })""")
    assert [y["year"] for y in years] == sorted(y["year"] for y in years) and len(years) >= 5
    first, last = years[0], years[-1]
    step = (last["centre"] - first["centre"]) / (last["year"] - first["year"])
    assert step >= 23.9  # each year at least 24 px apart: WCAG 2.2 target spacing
    for year in years:
        assert year["centre"] == pytest.approx(first["centre"] + (year["year"] - first["year"]) * step, abs=1), year
        assert year["href"] == f"chronology/index.html#year-{year['year']}"
        assert re.fullmatch(r"\d{4}: (\d+ events?)?(, )?(\d+ documents?)?", year["name"]), year
    # the bar heights follow the counts: the busiest year has the tallest bar
    counts = {y["year"]: sum(int(n) for n in re.findall(r"(\d+) (?:event|document)", y["name"].split(":", 1)[1]))
              for y in years}
    busiest = max(counts, key=counts.get)
    assert max(years, key=lambda y: y["bar"])["year"] == busiest
    page.goto(published_site.http_url("chronology/index.html#year-1993"))
    assert page.evaluate("document.getElementById('year-1993') !== null")


def test_the_home_page_says_what_the_archive_is_and_shows_its_figures_above_the_fold(published_site, new_page):
    page = new_page(width=390, height=844)
    page.goto(published_site.http_url("index.html"))
    bottoms = page.evaluate("""['.lede', '.home-about', 'dl.figures'].map(s => document.querySelector(s).getBoundingClientRect().bottom)""")
    assert max(bottoms) <= 844, bottoms
    about = page.evaluate("document.querySelector('.home-about').textContent")
    assert "“occupation”" in about and "not the archive’s" in about  # it attributes, and quotes the contested word
