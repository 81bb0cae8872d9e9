"""The rendered sample site, read through an HTML parser."""

import posixpath
from pathlib import PurePosixPath
from urllib.parse import urlsplit, unquote

import pytest

from karabakh_site.site.urls import relative_url


def test_every_expected_page_exists(fixture_site):
    pages = {str(p) for p in fixture_site.html_paths()}
    assert {
        "404.html", "about/index.html", "articles/figures/index.html", "articles/forum-report/index.html",
        "articles/index.html", "articles/kalbajar-speech/index.html", "chronology/index.html", "index.html",
        "territories/fizuli/index.html", "territories/index.html", "territories/kalbajar/index.html",
        "territories/shusha/index.html", "tags/index.html", "tags/great-return/index.html",
        "speakers/fenare-sadigova/index.html", "sources/news-az/index.html", "years/2025/index.html",
        "years/undated/index.html",
    } <= pages


def meta(page) -> dict[str, str]:
    """The article's metadata list as {term: text}."""
    terms = page.cssselect("dl.meta dt")
    return {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in terms}


def test_article_page_shows_title_date_source_and_body(fixture_site):
    page = fixture_site.page("articles/kalbajar-speech/")
    assert page.cssselect("h1")[0].text_content() == "Speech in Kalbajar"
    assert page.cssselect("title")[0].text_content() == "Speech in Kalbajar · Test Archive"
    data = meta(page)
    assert data["Date"] == "21 August 2025"
    assert page.cssselect("dl.meta time")[0].get("datetime") == "2025-08-21"
    assert data["Source"] == "News.Az, citing AZERTAC"
    assert data["Speakers"] == "Ilham Aliyev, Fenare Sadigova"
    assert [a.text_content() for a in page.cssselect("dl.meta a[href*=territories]")] == ["Kalbajar", "Fizuli"]
    assert [a.text_content() for a in page.cssselect("dl.meta a[href*=speakers]")] == ["Ilham Aliyev", "Fenare Sadigova"]
    assert page.cssselect(".prose h2#the-roads")[0].text_content() == "The roads"
    assert page.cssselect(".prose table td")[0].text_content() == "Ganja–Kalbajar"
    edits = page.cssselect("table.edits tbody td")
    assert [td.text_content() for td in edits] == ["KalbajarLachin", "Kalbajar, Lachin", "Extraction fault."]
    events = page.cssselect("#archive-events + ul > li > a")
    assert [a.get("href") for a in events] == ["../../chronology/index.html#event-occupation-kalbajar"]


def test_approximate_and_undated_dates_are_said_in_words(fixture_site):
    assert meta(fixture_site.page("articles/forum-report/"))["Date"].startswith("July 2021 (approx.)")
    figures = meta(fixture_site.page("articles/figures/"))
    assert figures["Date"] == "undatedThe text carries no date line."
    assert figures["Source"] == "Outlet not named in the textThe text does not name its outlet."


def test_raw_html_and_unsafe_links_never_reach_the_page(fixture_site):
    page = fixture_site.page("articles/forum-report/")
    scripts = page.cssselect("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]  # data, never run
    assert "<" not in scripts[0].text
    assert page.cssselect("h1 b") == []
    assert page.cssselect("h1")[0].text_content() == "Forum report <b>bold</b>"
    hrefs = [a.get("href") for a in page.iter("a")]
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]
    prose = page.cssselect(".prose p")[0].text_content()
    assert '<script>alert("x")</script>' in prose  # shown as text, not run


def test_chronology_links_every_event_to_existing_pages(fixture_site):
    page = fixture_site.page("chronology/")
    events = page.cssselect("li.event[id^=event-]")
    assert [e.get("id") for e in events] == [
        "event-occupation-shusha", "event-occupation-kalbajar", "event-ceasefire", "event-forum"]
    assert [h.text_content() for h in page.cssselect("section.year > h3")] == ["1992", "1993", "1994", "2021", "2023", "2025"]
    for event in events:
        links = event.cssselect("a")
        assert links, event.get("id")
        for link in links:
            path, _, fragment = link.get("href").partition("#")
            target = posixpath.normpath(posixpath.join("chronology", path)) if path else "chronology/index.html"
            assert (fixture_site.out / target).is_file(), target
            assert not fragment or fragment in fixture_site.page(target).xpath("//@id"), link.get("href")


def test_territory_page_lists_events_and_documents(fixture_site):
    page = fixture_site.page("territories/kalbajar/")
    assert page.cssselect("h1")[0].text_content() == "Kalbajar"
    assert meta(page) == {"Other names": "Kəlbəcər", "Area": "3,054 km²"}
    assert [a.text_content() for a in page.cssselect("#territory-events + ul > li > a")] == [
        "2 April 1993: Kalbajar: date of “occupation” given by “The Occupation in Figures”"]
    assert [a.text_content() for a in page.cssselect(".doc-title a")] == ["Speech in Kalbajar", "The Occupation in Figures"]


def internal_references(site):
    """Yield (page, attribute value) for every local href/src in the built site."""
    for path in site.html_paths():
        page = site.page(str(path))
        for element in page.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value and not urlsplit(value).scheme and not value.startswith("//"):
                    yield path, element, value


def test_every_internal_link_is_relative_and_resolves(fixture_site):
    checked = 0
    for path, element, value in internal_references(fixture_site):
        if path == PurePosixPath("404.html"):
            continue
        assert not value.startswith("/"), (path, value)
        parts = urlsplit(value)
        target = posixpath.normpath(posixpath.join(str(path.parent), unquote(parts.path))) if parts.path else str(path)
        file = fixture_site.out / target
        assert file.is_file(), (str(path), value)
        if parts.fragment:
            ids = fixture_site.page(target).xpath("//@id")
            assert parts.fragment in ids, (str(path), value)
        checked += 1
    assert checked > 100


def test_not_found_page_uses_absolute_links(fixture_site):
    page = fixture_site.page("404.html")
    links = [a.get("href") for a in page.cssselect("main a")]
    assert links[0] == "https://example.org/test-archive/index.html"
    assert page.cssselect('meta[name="robots"]')[0].get("content") == "noindex"


def test_canonical_urls_use_base_url(fixture_site):
    link = fixture_site.page("territories/shusha/").cssselect('link[rel="canonical"]')[0]
    assert link.get("href") == "https://example.org/test-archive/territories/shusha/"


@pytest.mark.parametrize("page, target, expected", [
    ("index.html", "articles/x/index.html", "articles/x/index.html"),
    ("articles/x/index.html", "index.html", "../../index.html"),
    ("articles/x/index.html", "articles/x/index.html#top", "#top"),
    ("chronology/index.html", "territories/a/index.html", "../territories/a/index.html"),
])
def test_relative_url(page, target, expected):
    assert relative_url(PurePosixPath(page), target) == expected


def test_navigation_marks_the_current_page(fixture_site):
    current = fixture_site.page("chronology/").cssselect('nav.site-nav a[aria-current="page"]')
    assert [a.text_content() for a in current] == ["Chronology"]
    assert fixture_site.page("").cssselect("a.skip-link")[0].get("href") == "#main"
    assert fixture_site.page("").get("lang") == "en"


def test_links_to_content_files_become_page_urls(fixture_site):
    links = [a.get("href") for a in fixture_site.page("about/").cssselect(".prose a")]
    assert links == ["../articles/figures/index.html", "../articles/kalbajar-speech/index.html#the-roads"]
