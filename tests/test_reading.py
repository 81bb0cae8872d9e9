"""Long texts (#15): a guide to a long text, paragraph permalinks, the text near the top, document types.

The Kalbajar speech is the case in point: 4,600 words in 42 paragraphs without a heading, whose
metadata once took 900 px of a phone's screen before its first line.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
import pytest

from karabakh_site.commands.build import build

from conftest import options_for
from test_bad_input import article, good_build, previous, refused  # noqa: F401 (fixtures)

SPEECH = "articles/aliyev-kalbajar-return-speech-2025/"
SHORT = "articles/aliyev-shusha-media-forum-2025/"
WITH_HEADINGS = "articles/aliyev-shusha-media-forum-2023/"


def numbered(page) -> list:
    """The text's numbered paragraphs (``p-N``), in order."""
    return [e for e in page.cssselect(".prose [id]") if re.fullmatch(r"p-[0-9]+", e.get("id"))]


# --- Paragraph permalinks -------------------------------------------------------------------

def test_every_paragraph_has_one_permalink_named_by_its_number(real_site):
    page = real_site.page(SPEECH)
    paragraphs = numbered(page)
    assert len(paragraphs) == 42
    for number, paragraph in enumerate(paragraphs, 1):
        assert paragraph.get("id") == f"p-{number}"
        first = paragraph[0]
        assert (first.tag, first.get("href"), first.get("aria-label")) == ("a", f"#p-{number}", f"Paragraph {number}")
        assert first.text_content() == ""  # drawn by the stylesheet: not part of the text, its search or quotes
    assert len(page.cssselect(".prose a[aria-label]")) == 42


def test_permalinks_leave_the_markdown_and_other_pages_alone(real_site):
    """Only the article page adds them: the feed's full text and plain pages have none."""
    feed = lxml.etree.fromstring((real_site.out / "feed.xml").read_bytes())
    contents = feed.findall(".//{http://www.w3.org/2005/Atom}content")
    assert contents and not any('aria-label="Paragraph' in (c.text or "") for c in contents)
    about = real_site.page("about/")
    assert not about.cssselect("main a[aria-label^='Paragraph']")


def test_the_citation_says_how_to_cite_a_paragraph(real_site):
    page = real_site.page(SPEECH)
    line = page.cssselect("#archive-cite ~ p.cite-paragraph")[0].text_content()
    assert "paragraph N" in line
    assert "https://example.org/karabakh-archive/articles/aliyev-kalbajar-return-speech-2025/#p-N" in line


# --- The guide ------------------------------------------------------------------------------

def guide_entries(page, label_start: str) -> dict[str, list[str]]:
    """The guide's list after the label starting ``label_start``: {item's words before ':': [hrefs]}."""
    label = next(p for p in page.cssselect("nav.guide p.guide-label") if p.text_content().startswith(label_start))
    items = label.getnext().cssselect("li")
    return {li.text_content().split(":")[0]: [a.get("href") for a in li.cssselect("a")] for li in items}


def test_a_long_text_without_headings_is_guided_by_its_territories_and_events(real_site):
    page = real_site.page(SPEECH)
    [nav] = page.cssselect("nav.guide")
    assert nav.get("aria-labelledby") == "guide-heading"
    assert nav.cssselect("details > summary#guide-heading")[0].text_content() == "On this page"
    assert nav.cssselect("details")[0].get("open") is None  # closed: the text starts near the top
    territories = guide_entries(page, "Where the text names")
    assert list(territories)[:3] == ["Kalbajar", "Lachin", "Shusha"]
    for name, hrefs in territories.items():
        assert hrefs and all(re.fullmatch(r"#p-[0-9]+", href) for href in hrefs), name
        for href in hrefs:  # the paragraph names the territory: a mention of it is inside
            paragraph = page.get_element_by_id(href[1:])
            assert paragraph.cssselect(f"[id^='mention-{name.lower()}-']"), (name, href)
    # Each event the text supports, at the paragraph its quote comes from (the events section's links).
    events = guide_entries(page, "Where the text states")
    quoted = {a.get("href") for a in page.cssselect("#archive-events ~ ul figcaption a")}
    assert len(events) == len(page.cssselect("#archive-events ~ ul.event-refs > li")) == 10
    assert {href for hrefs in events.values() for href in hrefs} == quoted
    assert events["April 1993"] == ["#p-8"]
    assert "early April 1993" in page.get_element_by_id("p-8").text_content()


def test_a_long_text_with_headings_is_guided_by_them(real_site):
    page = real_site.page(WITH_HEADINGS)
    links = page.cssselect("nav.guide ol.guide-list a")
    headings = page.cssselect(".prose h2[id], .prose h3[id]")
    assert headings and [a.get("href") for a in links] == [f"#{h.get('id')}" for h in headings]
    assert [a.text_content() for a in links] == [h.text_content() for h in headings]
    assert not page.cssselect("nav.guide p.guide-label")


@pytest.mark.parametrize("path", [SHORT, "articles/occupation-in-figures/", "articles/hajiyev-apa-statement/"])
def test_a_short_text_has_no_guide(real_site, path):
    assert real_site.page(path).cssselect("nav.guide") == []
    assert numbered(real_site.page(path))  # but its paragraphs still have their permalinks


def test_the_guide_follows_the_word_count_not_the_page(make_site, tmp_path):
    """Past 1,500 words a text names its territory's paragraphs; at 1,500 it has no guide."""
    filler = " ".join(["word"] * 99)
    paragraphs = [f"{filler} Shusha." if n in (2, 5) else f"{filler} x." for n in range(1, 17)]
    long_body = "\n\n".join(paragraphs) + "\n"
    root = make_site({"articles/one.md": article("territories: [shusha]\n", long_body),
                      "articles/two.md": article("", "\n\n".join(paragraphs[:-1]) + "\n")})
    out = tmp_path / "build"
    build(options_for(root, out))
    one = lxml.html.fromstring((out / "articles/one/index.html").read_bytes())
    assert {li.text_content() for li in one.cssselect("nav.guide li")} == {"Shusha: paragraphs 2 5"}
    assert [a.get("href") for a in one.cssselect("nav.guide li a")] == ["#p-2", "#p-5"]
    two = lxml.html.fromstring((out / "articles/two/index.html").read_bytes())
    assert len(" ".join(paragraphs[:-1]).split()) == 1500 and two.cssselect("nav.guide") == []


# --- What comes before the text -----------------------------------------------------------

def test_title_date_source_and_speakers_come_first_the_rest_is_in_details(real_site):
    page = real_site.page(SPEECH)
    header = page.cssselect("header.doc-header")[0]
    first = header.cssselect(":scope > dl.meta")[0]
    assert [dt.text_content() for dt in first.cssselect("dt")] == ["Date", "Source", "Speakers"]
    [details] = header.cssselect("details.doc-details")
    assert details.get("open") is None
    assert details.cssselect("p.summary") and [dt.text_content() for dt in details.cssselect("dt")] == [
        "Tags", "Territories"]
    assert details.cssselect("a[data-pagefind-filter=territory]")  # still filters the search


# --- Document types -------------------------------------------------------------------------

def test_the_type_is_shown_filterable_and_indexed(real_site):
    page = real_site.page(SPEECH)
    kicker = page.cssselect("p.kicker a.doc-type")[0]
    assert kicker.text_content() == "Speech" and kicker.get("href") == "../../types/speech/index.html"
    assert [s.text_content() for s in page.cssselect("[data-pagefind-filter=type]")] == ["Speech"]
    index = real_site.page("types/")
    entries = {li.cssselect("a")[0].text_content(): int(li.cssselect(".count")[0].text)
               for li in index.cssselect("ul.facet-list li")}
    assert entries == {"Speech": 1, "News report": 4, "Table": 1}  # in the contract's order of types
    assert list(entries) == ["Speech", "News report", "Table"]
    speeches = real_site.page("types/speech/")
    assert speeches.cssselect("h1")[0].text_content() == "Speech"
    assert [a.text_content() for a in speeches.cssselect("li.doc-item h2 a")] == [
        "Aliyev’s speech to former residents returning to Kalbajar"]
    listed = real_site.page("articles/").cssselect("li.doc-item")
    meta = {item.cssselect("h2 a")[0].text_content(): item.cssselect(".doc-meta")[0].text_content() for item in listed}
    assert meta["The Occupation in Figures"].startswith("undated · Table · ")
    assert "types/index.html" in [a.get("href").rsplit("../", 1)[-1] for a in real_site.page("articles/").cssselect(
        "nav.browse a")]


def test_an_article_of_no_stated_type_shows_none(make_site, tmp_path):
    root = make_site()
    out = tmp_path / "build"
    build(options_for(root, out))
    page = lxml.html.fromstring((out / "articles/one/index.html").read_bytes())
    assert page.cssselect("a.doc-type") == [] and page.cssselect("[data-pagefind-filter=type]") == []
    index = lxml.html.fromstring((out / "types" / "index.html").read_bytes())
    assert index.cssselect("ul.facet-list li") == []


def test_a_misspelt_type_names_file_and_line_and_leaves_the_build(make_site, previous):  # noqa: F811
    root = make_site({"articles/one.md": article("type: speach\n")})
    assert refused(root, previous) == [
        "SITE/articles/one.md:4:7: type 'speach' is not one of speech, interview, news-report, statement, table "
        "(did you mean 'speech'?)"]


def test_a_type_written_in_words_is_refused_with_the_value_to_write(make_site, previous):  # noqa: F811
    root = make_site({"articles/one.md": article("type: news report\n")})
    assert refused(root, previous) == [
        "SITE/articles/one.md:4:7: type 'news report' is not one of speech, interview, news-report, statement, "
        "table (did you mean 'news-report'?)"]


# --- In a browser -----------------------------------------------------------------------------

def test_on_a_phone_the_text_starts_within_the_first_screen(published_site, new_page):
    page = new_page(width=390, height=800)
    page.goto(published_site.http_url(SPEECH + "index.html"))
    top = page.locator("#p-1").bounding_box()["y"]
    assert top < 700, top
    assert page.get_by_role("link", name="Paragraph 1", exact=True).is_visible()  # no hover on a phone


@pytest.mark.parametrize("width", [390, 1280])
def test_a_paragraph_permalink_leads_to_its_paragraph(published_site, new_page, width):
    page = new_page(width=width)
    page.goto(published_site.http_url(SPEECH + "index.html"))
    paragraph = page.locator("#p-14")
    paragraph.scroll_into_view_if_needed()
    paragraph.hover()
    link = page.get_by_role("link", name="Paragraph 14", exact=True)
    assert link.is_visible() and link.evaluate("e => getComputedStyle(e).opacity") == "1"
    link.click()
    assert page.url.endswith("#p-14")
    assert paragraph.is_visible() and paragraph.evaluate("e => e.matches(':target')")
    box = paragraph.bounding_box()
    assert 0 <= box["y"] < 800


def test_a_permalink_is_revealed_by_the_keyboard_on_a_wide_screen(published_site, new_page):
    page = new_page(width=1280)
    page.goto(published_site.http_url(SPEECH + "index.html"))
    link = page.get_by_role("link", name="Paragraph 3", exact=True)
    assert link.evaluate("e => getComputedStyle(e).opacity") == "0"  # out of the way while reading
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert link.evaluate("e => getComputedStyle(e).opacity") == "1"


def test_the_guide_opens_and_leads_to_a_paragraph_from_disk(published_site, new_page):
    page = new_page(width=390, color_scheme="dark")
    page.goto(published_site.file_url(SPEECH + "index.html"))
    guide = page.get_by_role("navigation", name="On this page")
    guide.get_by_text("On this page").click()
    item = guide.locator("li", has_text="Lachin")
    item.get_by_role("link").first.click()
    fragment = page.url.rsplit("#", 1)[1]
    assert re.fullmatch(r"p-[0-9]+", fragment)
    target = page.locator(f"#{fragment}")
    assert target.is_visible() and "Lachin" in target.inner_text()
