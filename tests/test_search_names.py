"""Search knows the archive's names (#15): aliases and folded spellings find a territory's
page and documents, the query stays in the header, filters list and sort, and from disk the
search page leads to the indexes. Real Chromium over HTTP (and file://) on the shipped content."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

from karabakh_site.text.mentions import fold
from karabakh_site.render.pages import search_names
from support import tools
from support.checks import AXE_TAGS
from test_browser import PageProblems

SEARCH = "search/index.html"
RESULT_LINKS = "[data-search-results] .doc-title a"


def territory_documents(published_site, territory_id: str) -> set[str]:
    """The documents a territory's own page lists, as absolute URLs: what its names must find."""
    path = f"territories/{territory_id}/index.html"
    page = published_site.page(path)
    hrefs = page.xpath('//section[@aria-labelledby="territory-documents"]//*[contains(@class, "doc-title")]//a/@href')
    assert hrefs, f"{path} lists no document"
    base = published_site.http_url(path)
    return {urljoin(base, href) for href in hrefs}


def search(page, published_site, query: str = "", **filters: str) -> None:
    """Open the search page for ``query`` and filters and wait until its answer is shown."""
    params = "&".join(f"{key}={quote(value)}" for key, value in {"q": query, **filters}.items())
    page.goto(published_site.http_url(f"{SEARCH}?{params}"))
    page.wait_for_function("""() => { const s = document.querySelector('[data-search-status]').textContent;
        return /found|listed|Nothing|No document/.test(s); }""")


def result_urls(page) -> set[str]:
    return set(page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.href)"))


# --- The names each page indexes ----------------------------------------------------------

def test_a_territory_indexes_its_aliases_and_their_folded_spellings(published_site):
    kalbajar = published_site.report.linked.territory_by_id["kalbajar"]
    names = ("Kalbajar", "Kəlbəcər", "Kelbajar", "Karvachar", "kelbecer")
    assert search_names([kalbajar], "en") == (names,)
    # Each interface's tree indexes the names in its own language too (#16), not other scripts'.
    assert search_names([kalbajar], "hy") == (("Kalbajar", "Kəlbəcər", "Kelbajar", "Karvachar", "Քարվաճառ", "kelbecer"),)
    assert search_names([kalbajar], "ru") == (("Kalbajar", "Kəlbəcər", "Kelbajar", "Karvachar", "Карвачар", "Кельбаджар",
                                               "kelbecer"),)
    hidden = published_site.page("territories/kalbajar/").xpath('//p[@hidden][@data-pagefind-body]')
    assert len(hidden) == 1
    assert hidden[0].text_content() == "Kalbajar (Kəlbəcər, Kelbajar, Karvachar, kelbecer)"
    assert hidden[0].get("data-pagefind-meta") == "kind:territory"


def test_a_document_indexes_the_names_of_every_territory_it_lists_or_names(published_site):
    page = published_site.page("articles/occupation-in-figures/")
    shown = {a.text_content() for a in page.xpath('//a[@data-pagefind-filter="territory"]')}
    hidden = page.xpath('//p[@hidden][@data-pagefind-body]')
    assert len(hidden) == 1 and len(shown) == 9
    text = hidden[0].text_content()
    assert all(name in text for name in shown)
    assert all(form in text for form in ("Şuşa", "Shushi", "susa", "Laçın", "lacin", "Cəbrayıl", "cebrayil"))
    # Hidden from readers and from assistive technology: the names are for the index only.
    assert hidden[0].get("hidden") is not None


def test_folded_spellings_are_the_mention_matchers():
    """pages.search_names folds with mentions.fold; search.js must fold queries the same way."""
    assert [fold(name) for name in ("Kəlbəcər", "Şuşa", "Laçın", "Qubadlı", "Dağlıq Qarabağ")] == [
        "kelbecer", "susa", "lacin", "qubadli", "dagliq qarabag"]


# --- In the browser -----------------------------------------------------------------------

@pytest.mark.parametrize(("query", "territory_id"), [
    ("Shushi", "shusha"), ("Şuşa", "shusha"), ("Kəlbəcər", "kalbajar"), ("Kelbecer", "kalbajar"),
    ("KƏLBƏCƏR", "kalbajar"), ("Laçın", "lachin"),
    ("Cebrayıl", "jabrayil"),  # neither as written nor folded: found only because search.js folds the query
])
def test_any_known_name_finds_the_territory_page_and_its_documents(published_site, new_page, query, territory_id):
    page = new_page()
    problems = PageProblems(page)
    search(page, published_site, query)
    expected = territory_documents(published_site, territory_id) | {
        published_site.http_url(f"territories/{territory_id}/index.html")}
    assert result_urls(page) == expected
    territory_result = page.locator("[data-search-results] li", has=page.locator(
        f'a[href$="territories/{territory_id}/index.html"]'))
    assert territory_result.locator(".doc-meta").inner_text() == "Territory"
    assert page.locator("[data-search-status]").inner_text() == f"{len(expected)} results found for “{query}”."
    assert problems.items == []


def test_the_query_stays_in_the_header_box_on_the_results_page(published_site, new_page):
    page = new_page(width=390)
    problems = PageProblems(page)
    page.goto(published_site.http_url("index.html"))
    page.locator("#site-search-q").fill("Şuşa")
    page.keyboard.press("Enter")
    page.wait_for_selector(RESULT_LINKS)
    assert page.locator("#site-search-q").input_value() == "Şuşa"
    assert page.locator("#search-q").input_value() == "Şuşa"
    # A new search from the page's own box updates the header's too.
    page.locator("#search-q").fill("Kelbecer")
    page.locator("#search-q").press("Enter")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.includes('Kelbecer')")
    assert page.locator("#site-search-q").input_value() == "Kelbecer"
    assert "q=Kelbecer" in page.url
    assert problems.items == []


def test_a_territory_filter_without_words_lists_its_documents(published_site, new_page):
    page = new_page()
    problems = PageProblems(page)
    page.goto(published_site.http_url(SEARCH))
    page.wait_for_selector("select[name=territory]")
    page.get_by_label("Territory", exact=True).select_option("Kalbajar")
    page.wait_for_selector(RESULT_LINKS)
    expected = territory_documents(published_site, "kalbajar")
    assert result_urls(page) == expected
    assert page.locator("[data-search-status]").inner_text() == f"{len(expected)} documents listed for Territory: Kalbajar."
    assert "territory=Kalbajar" in page.url
    # The same listing from its address, as a link or a reload gives it.
    search(page, published_site, territory="Shusha")
    assert result_urls(page) == territory_documents(published_site, "shusha")
    assert page.locator("select[name=territory]").input_value() == "Shusha"
    assert problems.items == []


def test_filters_are_labelled_and_their_options_in_case_insensitive_order(published_site, new_page):
    page = new_page()
    page.goto(published_site.http_url(SEARCH))
    page.wait_for_selector("select[name=year]")
    assert page.locator("[data-search-filters] legend").inner_text() == "Narrow the results"
    for name, label in (("tag", "Tag"), ("territory", "Territory"), ("year", "Year")):
        select = page.get_by_label(label, exact=True)
        assert select.get_attribute("name") == name
        options = select.locator("option").all_inner_texts()
        assert options[0] == "Any"
        assert options[1:] == sorted(options[1:], key=lambda value: (value.casefold(), value)), name
    tags = page.locator("select[name=tag] option").all_inner_texts()
    # Code-point order would put "OSCE Minsk Group" first ("S" < "c").
    assert tags.index("Occupation") < tags.index("OSCE Minsk Group")


def test_from_disk_the_search_page_links_the_indexes(published_site, new_page):
    page = new_page()
    problems = PageProblems(page)
    page.goto(published_site.file_url(SEARCH) + "?q=Shushi")
    indexes = page.locator("[data-search-indexes]")
    indexes.wait_for(state="visible")
    assert "not opened from disk" in page.locator("[data-search-status]").inner_text()
    assert page.locator("#site-search-q").input_value() == "Shushi"
    links = indexes.locator("a")
    assert links.all_inner_texts() == ["Documents", "Territories", "Documents by tag", "Documents by speaker",
                                       "Documents by source", "Documents by year", "Documents by type"]
    for href in links.evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith("file:") and Path(href.removeprefix("file://")).is_file(), href
    links.get_by_text("Territories", exact=True).click()
    assert page.locator("h1").inner_text() == "Territories"
    assert problems.items == []


def test_served_the_indexes_stay_hidden(published_site, new_page):
    page = new_page()
    search(page, published_site, "Shushi")
    assert page.locator("[data-search-indexes]").is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_and_filters_has_no_wcag_violation(published_site, new_page, scheme):
    page = new_page(width=390, color_scheme=scheme)
    search(page, published_site, "Kəlbəcər", territory="Kalbajar")
    page.wait_for_selector(RESULT_LINKS)
    page.add_script_tag(path=str(tools.axe_script()))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
