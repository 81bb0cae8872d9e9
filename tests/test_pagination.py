"""Long lists in pages (#13): boundaries, every entry on exactly one page, links, anchors.

Each site is built from a dict: N documents that all carry one tag, list one territory,
name a place inside another and are dated one day apart, so that every list (the
documents, the tag, the territory with its mentions, the place, the year, the
chronology) holds N entries, or N plus the one event.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

import lxml.etree
import lxml.html
import pytest

from karabakh_site.commands.build import build
from karabakh_site.render.paging import PAGE_SIZE, make_pager, page_count, paged_path, slice_of

from conftest import options_for, write_site
from support.checks import check_internal_links, html_pages

FIRST_DAY = date(2001, 1, 1)
EVENT_DAY = date(2030, 5, 8)
"""After every document: the event is the chronology's last entry, so on its last page."""


def chronology(count: int) -> str:
    events = "events: []" if count == 0 else f"""\
events:
  - id: talks
    date: "{EVENT_DAY.isoformat()}"
    title: Talks in Shusha
    kind: agreement
    territories: [shusha]
    sources: [{{article: doc-000, quote: "On 8 May 2030"}}]"""
    return f"""\
territories:
  - id: shusha
    name: Shusha
    area_km2: 289
  - id: karabakh
    name: Karabakh
    area_km2: 4400
places:
  - id: khankendi
    name: Khankendi
    in: karabakh
{events}
"""


def document(number: int) -> str:
    day = FIRST_DAY + timedelta(days=number)
    return f"""\
---
title: Document {number:03d}
date: "{day.isoformat()}"
source: {{name: Outlet}}
tags: [Common]
territories: [shusha]
---
On 8 May 2030 the talks were held. Shusha is named, and Khankendi, and Shusha again.
"""


def site_files(count: int) -> dict[str, str | None]:
    files: dict[str, str | None] = {"articles/one.md": None, "articles/source-of-events.md": None,
                                    "chronology.yaml": chronology(count)}
    files.update({f"articles/doc-{n:03d}.md": document(n) for n in range(count)})
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A function returning the output of the site of ``count`` documents, built once per module."""
    outputs: dict[int, Path] = {}

    def get(count: int) -> Path:
        if count not in outputs:
            root = tmp_path_factory.mktemp(f"paged{count}")
            write_site(root / "content", site_files(count))
            build(options_for(root / "content", root / "build"))
            outputs[count] = root / "build"
        return outputs[count]
    return get


def parse(out: Path, path: PurePosixPath | str):
    return lxml.html.fromstring((out / str(path)).read_bytes())


def pages_of(out: Path, first: str) -> list[PurePosixPath]:
    """The pages of the list whose first page is ``first``, following rel=next from it (the page's
    last page navigation: on the chronology's first page the area table's comes first)."""
    pages = [PurePosixPath(first)]
    while True:
        tree = parse(out, pages[-1])
        nxt = tree.xpath('(//nav[@class="pages"])[last()]//a[@rel="next"]/@href')
        if not nxt:
            return pages
        pages.append(PurePosixPath(posixpath.normpath(posixpath.join(str(pages[-1].parent), nxt[0]))))


def titles(tree, selector: str = "li.doc-item .doc-title a") -> list[str]:
    return [a.text_content() for a in tree.cssselect(selector)]


# --- The paging arithmetic ------------------------------------------------------------------

@pytest.mark.parametrize("total, pages", [(0, 1), (1, 1), (PAGE_SIZE, 1), (PAGE_SIZE + 1, 2), (3 * PAGE_SIZE, 3)])
def test_page_count_and_slices_cover_every_entry_once(total, pages):
    entries = list(range(total))
    assert page_count(total) == pages
    slices = [slice_of(entries, number) for number in range(1, pages + 1)]
    assert [e for s in slices for e in s.entries] == entries
    assert all(len(s.entries) <= PAGE_SIZE for s in slices)
    assert [(s.first, s.last, s.total) for s in slices][-1] == (
        ((pages - 1) * PAGE_SIZE + 1, total, total) if total else (0, 0, 0))
    assert slice_of(entries, pages + 1).entries == ()


def test_the_first_page_keeps_the_list_url():
    first = PurePosixPath("tags/x/index.html")
    assert paged_path(first, 1) == first
    assert paged_path(first, 2) == PurePosixPath("tags/x/page/2/index.html")
    assert paged_path(PurePosixPath("index.html"), 3) == PurePosixPath("page/3/index.html")


def test_the_pager_links_the_ends_and_the_neighbours_with_gaps():
    first = PurePosixPath("articles/index.html")
    pager = make_pager(first, 10, 20)
    assert [n for n, _ in pager.links] == [1, 0, 8, 9, 10, 11, 12, 0, 20]
    assert pager.previous == "articles/page/9/index.html" and pager.next == "articles/page/11/index.html"
    assert [n for n, _ in make_pager(first, 1, 20).links] == [1, 2, 3, 0, 20]
    assert [n for n, _ in make_pager(first, 4, 7).links] == [1, 2, 3, 4, 5, 6, 7]  # a gap of one page is linked
    single = make_pager(first, 1, 1)
    assert not single.is_paged and single.previous is None and single.next is None


# --- Built sites at the boundaries -------------------------------------------------------------

LISTS = {
    "documents": ("articles/index.html", "li.doc-item .doc-title a"),
    "tag": ("tags/common/index.html", "li.doc-item .doc-title a"),
    "year": ("years/2001/index.html", "li.doc-item .doc-title a"),
    "territory": ("territories/shusha/index.html", "section[aria-labelledby=territory-documents] li.doc-item .doc-title a"),
    "place": ("territories/karabakh/index.html", "#place-khankendi article.kwic-group h4 a"),
}


@pytest.mark.parametrize("count", [0, 1, PAGE_SIZE, PAGE_SIZE + 1])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_document_is_listed_on_exactly_one_page(built, count, name):
    out = built(count)
    first, selector = LISTS[name]
    if count == 0:  # the documents' and the territory's pages say so; no tag, year or place is listed
        assert not (out / first).exists() or titles(parse(out, first), selector) == []
        assert (out / first).exists() == (name in ("documents", "territory", "place"))
        return
    pages = pages_of(out, first)
    assert len(pages) == page_count(count)
    listed = [title for page in pages for title in titles(parse(out, page), selector)]
    expected = sorted((f"Document {n:03d}" for n in range(count)), reverse=True)  # newest first
    assert listed == expected
    assert pages[0] == PurePosixPath(first)
    assert all(p == paged_path(PurePosixPath(first), n) for n, p in enumerate(pages, 1))


@pytest.mark.parametrize("count", [PAGE_SIZE, PAGE_SIZE + 1])
def test_a_second_page_exists_only_past_the_page_size(built, count):
    out = built(count)
    second = out / "articles" / "page" / "2" / "index.html"
    assert second.is_file() == (count > PAGE_SIZE)
    tree = parse(out, "articles/index.html")
    assert bool(tree.cssselect("nav.pages")) == (count > PAGE_SIZE)


def test_page_navigation_marks_the_current_page_and_links_prev_and_next(built):
    out = built(PAGE_SIZE + 1)
    first, second = parse(out, "articles/index.html"), parse(out, "articles/page/2/index.html")
    [nav] = first.cssselect("nav.pages")
    assert nav.get("aria-label") == "Pages of the documents"
    assert [(a.get("href"), a.get("aria-current")) for a in nav.cssselect("li:not(.pages-step) a")] == [
        ("index.html", "page"), ("page/2/index.html", None)]
    assert nav.cssselect("a[rel=prev]") == [] and nav.cssselect("a[rel=next]")[0].get("href") == "page/2/index.html"
    [nav] = second.cssselect("nav.pages")
    assert nav.cssselect("a[rel=prev]")[0].get("href") == "../../index.html"
    assert nav.cssselect("a[aria-current=page]")[0].text_content() == "Page 2"
    assert second.cssselect("p.shown")[0].text_content() == f"Documents {PAGE_SIZE + 1}–{PAGE_SIZE + 1} of {PAGE_SIZE + 1}."
    assert second.cssselect("ol.doc-list")[0].get("start") == str(PAGE_SIZE + 1)
    assert first.cssselect("p.shown")[0].text_content() == f"Documents 1–{PAGE_SIZE} of {PAGE_SIZE + 1}."


def test_later_pages_have_their_own_title_canonical_url_and_sitemap_entry(built):
    out = built(PAGE_SIZE + 1)
    second = parse(out, "articles/page/2/index.html")
    assert second.cssselect("title")[0].text_content() == "Documents, page 2 of 2 · Mini"
    assert second.cssselect("link[rel=canonical]")[0].get("href") == "https://example.org/mini/articles/page/2/"
    assert parse(out, "articles/index.html").cssselect("link[rel=canonical]")[0].get("href") == \
        "https://example.org/mini/articles/"
    sitemap = lxml.etree.fromstring((out / "sitemap.xml").read_bytes())
    locations = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {"https://example.org/mini/articles/page/2/", "https://example.org/mini/tags/common/page/2/",
            "https://example.org/mini/territories/shusha/page/2/", "https://example.org/mini/chronology/page/2/"} <= locations


def test_every_internal_link_and_anchor_resolves(built):
    for count in (0, 1, PAGE_SIZE + 1):
        checked, broken = check_internal_links(built(count))
        assert checked and broken == [], count


def test_event_links_name_the_chronology_page_that_holds_the_event(built):
    out = built(PAGE_SIZE + 1)
    pages = pages_of(out, "chronology/index.html")
    assert len(pages) == 2  # N publications and the event
    holding = [p for p in pages if parse(out, p).xpath('//li[@id="event-talks"]')]
    assert holding == [PurePosixPath("chronology/page/2/index.html")]
    timeline = [li.get("id") for p in pages for li in parse(out, p).cssselect("ol.timeline > li")]
    assert len(timeline) == len(set(timeline)) == PAGE_SIZE + 2
    sources = {
        "articles/doc-000/index.html": "#archive-events + ul > li > a",
        "territories/shusha/index.html": "#territory-events + ul > li > a",
    }
    for path, selector in sources.items():
        [link] = parse(out, path).cssselect(selector)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), link.get("href")))
        assert target == "chronology/page/2/index.html#event-talks", path
    data = [json.loads(s.text) for s in parse(out, "chronology/page/2/index.html").xpath(
        "//script[@type='application/ld+json']")]
    assert [e["url"] for d in data for e in d["@graph"]] == ["https://example.org/mini/chronology/page/2/#event-talks"]
    exported = json.loads((out / "data" / "chronology.json").read_text())["events"]
    assert [e["url"] for e in exported] == ["https://example.org/mini/chronology/page/2/#event-talks"]
    rows = list(csv.DictReader(io.StringIO((out / "data" / "chronology.csv").read_text())))
    assert [r["url"] for r in rows] == ["https://example.org/mini/chronology/page/2/#event-talks"]


def test_year_links_name_the_page_where_the_year_begins(built):
    out = built(PAGE_SIZE + 1)
    home = parse(out, "index.html")
    years = {a.cssselect("strong")[0].text: a.get("href") for a in home.cssselect("ol.year-axis a")}
    assert years["2001"] == "chronology/index.html#year-2001"
    assert years["2030"] == "chronology/page/2/index.html#year-2030"
    second = parse(out, "chronology/page/2/index.html")
    headings = [(h.get("id"), h.text_content()) for h in second.cssselect("section.year > h3")]
    assert headings == [("year-2001-continued", "2001, continued"), ("year-2030", "2030")]
    jumps = [a.get("href") for a in second.cssselect("nav.year-jump a")]
    assert jumps == ["../../index.html#year-2001", "#year-2030"]


def test_a_territory_keeps_its_description_events_and_places_on_its_first_page(built):
    out = built(PAGE_SIZE + 1)
    first, second = parse(out, "territories/karabakh/index.html"), parse(out, "territories/karabakh/page/2/index.html")
    assert first.get_element_by_id("place-khankendi") is not None  # mentions in the texts link here
    assert first.cssselect("dl.meta") and not second.cssselect("dl.meta")
    assert second.cssselect("p.shown")[0].text_content() == "Page 2 of 2"
    shusha = parse(out, "territories/shusha/page/2/index.html")
    assert shusha.cssselect("#territory-events") == []  # the one event is on the first page
    assert [m.text for m in shusha.cssselect("ol.kwic mark")] == ["Shusha", "Shusha"]


def test_no_list_page_grows_past_its_page_size(built):
    out = built(PAGE_SIZE + 1)
    for path in html_pages(out):
        tree = parse(out, path)
        for selector in ("ol.doc-list > li", "ol.timeline > li", "section.place article.kwic-group"):
            assert len(tree.cssselect(selector)) <= PAGE_SIZE, (path, selector)


# --- The chronology's area table: a list of its own -------------------------------------------

def area_site_files(count: int) -> dict[str, str | None]:
    """``count`` documents, each stating one event that adds or subtracts Shusha's area on its day."""
    files = site_files(count)
    events = []
    for n in range(count):
        day = FIRST_DAY + timedelta(days=n)
        words = f"On {day.day} {day:%B} {day.year}"
        kind = "occupation" if n % 2 == 0 else "return"
        files[f"articles/doc-{n:03d}.md"] = document(n).replace("On 8 May 2030", words)
        events.append(f"""\
  - id: change-{n:03d}
    date: "{day.isoformat()}"
    title: "Shusha: “{kind}” date"
    kind: {kind}
    territories: [shusha]
    sources: [{{article: doc-{n:03d}, quote: "{words}"}}]""")
    files["chronology.yaml"] = chronology(0).replace("events: []", "events:\n" + "\n".join(events))
    return files


@pytest.fixture(scope="module")
def area_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("area")
    write_site(root / "content", area_site_files(PAGE_SIZE + 1))
    build(options_for(root / "content", root / "build"))
    return root / "build"


def test_the_area_table_is_paged_after_the_chart(area_site):
    first = parse(area_site, "chronology/index.html")
    assert first.xpath("//*[local-name()='svg' and contains(@class, 'chart-step')]")
    assert len(first.cssselect("table.data tbody tr")) == PAGE_SIZE
    [nav] = first.cssselect("section[aria-labelledby=area-heading] nav.pages")
    assert nav.get("aria-label") == "Pages of the area table"
    assert nav.cssselect("a[rel=next]")[0].get("href") == "area/page/2/index.html"
    second = parse(area_site, "chronology/area/page/2/index.html")
    assert second.cssselect("title")[0].text_content().startswith("Area the texts call “occupied”, as a table, page 2 of 2")
    assert second.xpath("//*[local-name()='svg']") == [] and second.cssselect("ol.timeline") == []
    assert second.cssselect("p.shown")[0].text_content() == f"Rows {PAGE_SIZE + 1}–{PAGE_SIZE + 1} of {PAGE_SIZE + 1}."
    assert second.cssselect("a[rel=prev]")[0].get("href") == "../../../index.html#area-heading"
    [row_link] = second.cssselect("table.data tbody a")
    target = posixpath.normpath(posixpath.join("chronology/area/page/2", row_link.get("href").split("#")[0]))
    assert parse(area_site, target).get_element_by_id(row_link.get("href").split("#")[1]) is not None
    checked, broken = check_internal_links(area_site)
    assert checked and broken == []


def test_every_event_is_on_exactly_one_chronology_page_and_its_links_find_it(area_site):
    pages = pages_of(area_site, "chronology/index.html")
    assert len(pages) == page_count(2 * (PAGE_SIZE + 1))
    held = {li.get("id"): page for page in pages for li in parse(area_site, page).cssselect("li.event[id^=event-]")}
    assert sorted(held) == [f"event-change-{n:03d}" for n in range(PAGE_SIZE + 1)]
    assert sum(len(parse(area_site, p).cssselect("li.event[id^=event-]")) for p in pages) == PAGE_SIZE + 1
    for n in range(PAGE_SIZE + 1):
        path = f"articles/doc-{n:03d}/index.html"
        [link] = parse(area_site, path).cssselect("#archive-events + ul > li > a")
        target, _, anchor = posixpath.normpath(posixpath.join(posixpath.dirname(path), link.get("href"))).partition("#")
        assert (PurePosixPath(target), anchor) == (held[anchor], f"event-change-{n:03d}")


def test_a_territory_lists_each_document_once_with_at_most_three_sentences(make_site, tmp_path):
    root = make_site({"articles/one.md": """\
        ---
        title: One
        date: "2025-07-19"
        source: {name: Outlet}
        summary: A summary of one.
        ---
        Shusha one. Shusha two. Shusha three. Shusha four. Shusha five.
        """, "articles/listed.md": """\
        ---
        title: Listed
        date: "2025-07-18"
        source: {name: Outlet}
        territories: [shusha]
        summary: A summary of the listed one.
        ---
        No name here.
        """})
    build(options_for(root, tmp_path / "out"))
    page = parse(tmp_path / "out", "territories/shusha/index.html")
    items = {item.cssselect(".doc-title a")[0].text_content(): item for item in page.cssselect("li.doc-item")}
    assert sorted(items) == ["Listed", "One"]
    one = items["One"]
    assert [li.text_content() for li in one.cssselect("ol.kwic li")] == ["Shusha one.", "Shusha two.", "Shusha three."]
    [more] = one.cssselect("p.kwic-more a")
    assert (more.text_content(), more.get("href")) == ("2 more in the document", "../../articles/one/index.html#mention-shusha-4")
    assert one.cssselect(".doc-meta")[0].text_content().endswith("· 5 mentions")
    assert one.cssselect(".doc-summary") == []  # the sentences stand in for the summary
    assert items["Listed"].cssselect(".doc-summary")[0].text_content() == "A summary of the listed one."
    assert items["Listed"].cssselect("ol.kwic") == []
