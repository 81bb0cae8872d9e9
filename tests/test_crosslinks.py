"""Issue 5 on the real content: mentions, backlinks, related documents, citations, indexes, charts."""

import json
import posixpath


from karabakh_site.render.cite import bibtex_citation, plain_citation
from karabakh_site.site.facets import unique_slugs
from karabakh_site.site.stats import area_changes
from karabakh_site.render.strings import load_strings

from conftest import PROJECT


def test_kalbajar_page_lists_its_occupation_event_and_mentions_with_sentences(real_site):
    page = real_site.page("territories/kalbajar/")
    events = [a.text_content() for a in page.cssselect("#territory-events + ul > li > a")]
    assert "2 April 1993: Kalbajar: date of “occupation” given by “The Occupation in Figures”" in events
    groups = {g.cssselect("h3 a")[0].text_content(): g
              for g in page.cssselect("section[aria-labelledby=territory-documents] li.doc-item")}
    speech = groups["Aliyev’s speech to former residents returning to Kalbajar"]
    first = speech.cssselect("ol.kwic li a")[0]
    assert first.cssselect("mark")[0].text == "Kalbajar"
    assert first.get("href") == "../../articles/aliyev-kalbajar-return-speech-2025/index.html#mention-kalbajar-1"
    # #13: the first three sentences, then a link to the next mention in the text, which marks every one;
    # #15: the first sentence names Kalbajar twice and is shown once, so the next mention is the fifth
    assert len(speech.cssselect("ol.kwic")[0].cssselect("li")) == 3
    assert [m.text for m in first.cssselect("mark")] == ["Kalbajar", "Kalbajar"]
    more = speech.cssselect("p.kwic-more a")[0]
    assert more.get("href") == "../../articles/aliyev-kalbajar-return-speech-2025/index.html#mention-kalbajar-5"
    assert int(more.text_content().split()[0]) > 17
    assert "The Occupation in Figures" in groups
    assert "Azerbaijan says it will never allow another Armenian state to be created in its sovereign territory" in groups
    hajiyev = groups["Azerbaijan says it will never allow another Armenian state to be created in its sovereign territory"]
    assert "seven adjacent districts (Lachin, Kalbajar, Aghdam" in hajiyev.text_content().replace("\xa0", " ")


def test_every_kwic_link_lands_on_an_anchor_in_the_article(real_site):
    for territory in real_site.report.linked.site.territories:
        page = real_site.page(f"territories/{territory.id}/")
        for link in page.cssselect(".kwic a"):
            path, _, anchor = link.get("href").partition("#")
            article = real_site.page(posixpath.normpath(posixpath.join(f"territories/{territory.id}", path)))
            target = article.get_element_by_id(anchor)
            assert target.text_content().casefold() == link.cssselect("mark")[0].text.casefold()


def test_occupation_in_figures_lists_the_nine_events_it_supports(real_site):
    page = real_site.page("articles/occupation-in-figures/")
    links = page.cssselect("#archive-events + ul > li > a")
    assert len(links) == 9
    chronology = real_site.page("chronology/")
    for link in links:
        assert link.text_content().endswith(": date of “occupation” given by “The Occupation in Figures”") or \
            link.text_content().endswith(": period of “occupation” given by “The Occupation in Figures”")
        anchor = link.get("href").split("#")[1]
        assert chronology.get_element_by_id(anchor).get("class") == "event kind-occupation"


def test_area_chart_adds_the_nine_areas_and_subtracts_the_returns(real_site):
    changes = area_changes(real_site.report.linked.site)
    occupations = [c for c in changes if c.event.kind == "occupation"]
    returns = [c for c in changes if c.event.kind == "return"]
    assert len(occupations) == 9 and returns
    assert max(c.total for c in changes) == 14682 == sum(c.change for c in occupations)
    assert changes[-1].total == 14682 + sum(c.change for c in returns)
    page = real_site.page("chronology/")
    svg = page.cssselect("figure.chart-figure svg")[0]
    assert svg.cssselect("title")[0].text == "Area the texts call “occupied”, over time"
    assert len(svg.cssselect("a")) == len(changes)
    rows = page.cssselect("table.data tbody tr")
    assert [r.cssselect("td")[-1].text_content() for r in rows] == [f"{c.total:,.0f} km²" for c in changes]
    # Nagorno-Karabakh's "1988–1992" is a band over the span, not a point at its end (issue 12).
    nk = next(a for a in svg.cssselect("a") if a.get("href").endswith("#event-occupation-nagorno-karabakh"))
    assert nk.xpath(".//*[local-name()='rect'][@class='chart-span']") and not nk.xpath(".//*[local-name()='circle']")


def test_article_shows_detected_territories_related_documents_and_citation(real_site):
    page = real_site.page("articles/aliyev-shusha-media-forum-2025/")
    territories = [a.text_content() for a in page.cssselect("dl.meta dd ul.tags a[href*='territories']")]
    # "Shusha" only in the forum's name (a not_mentions phrase); Khankendi is a place, not the whole territory
    assert territories == []
    related = page.cssselect("ol.related li")
    assert related and related[0].cssselect(".reason")[0].text_content().startswith("Shared")
    assert page.cssselect("p.citation")[0].text_content().endswith(
        "In: Karabakh Archive. https://example.org/karabakh-archive/articles/aliyev-shusha-media-forum-2025/")
    bibtex = page.cssselect("pre.bibtex code")[0].text_content()
    assert bibtex.startswith("@misc{aliyev-shusha-media-forum-2025,\n  title = {[Aliyev meets participants of the Third Shusha Global Media Forum]},")
    assert "  date = {2025-07-19},\n  year = {2025},\n  month = jul," in bibtex


def test_citations_escape_and_do_not_invent(real_site):
    linked = real_site.report.linked
    article = linked.article_by_slug["occupation-in-figures"]
    assert plain_citation(article, linked.site.config, "URL", load_strings([PROJECT / "templates"], "en")[0]) == (
        "“The Occupation in Figures”. undated. In: Karabakh Archive. URL")
    bibtex = bibtex_citation(article, linked.site.config, "URL")
    assert "date" not in bibtex and "howpublished" not in bibtex


def test_index_pages_with_counts_and_entry_pages(real_site):
    for key in ("tags", "speakers", "sources", "years"):
        page = real_site.page(f"{key}/")
        entries = page.cssselect("ul.facet-list li")
        assert entries, key
        for entry in entries:
            link = entry.cssselect("a")[0]
            count = int(entry.cssselect(".count")[0].text)
            target = real_site.page(f"{key}/" + link.get("href").replace("index.html", ""))
            assert len(target.cssselect("li.doc-item")) == count
    years = [a.text_content() for a in real_site.page("years/").cssselect("ul.facet-list a")]
    assert years == ["2021 or later", "2023", "2025", "Undated"]
    sources = [a.text_content() for a in real_site.page("sources/").cssselect("ul.facet-list a")]
    assert sources[-1] == "Outlet not named in the text" and "News.Az" in sources and "AZERTAC" in sources
    # Every document whose outlet is unnamed, also those that cite an agency (AZTV, APA): issue 12.
    unnamed = real_site.page("sources/").cssselect("ul.facet-list li")[-1]
    assert int(unnamed.cssselect(".count")[0].text) == 5


def test_slugs_are_readable_ascii_unique_and_stable():
    slugs = unique_slugs(["Kəlbəcər", "Ilham Aliyev", "Ղարաբաղ", "Степанакерт", "Kelbecer", "!!"])
    assert slugs == {"!!": "entry", "Ilham Aliyev": "ilham-aliyev", "Kelbecer": "kelbecer", "Kəlbəcər": "kelbecer-2",
                     "Степанакерт": "stepanakert", "Ղարաբաղ": "gharabagh"}
    assert unique_slugs(reversed(list(slugs))) == slugs


def test_home_page_key_figures(real_site):
    page = real_site.page("")
    figures = {d.cssselect("dt")[0].text_content(): d.cssselect("dd")[0].text_content() for d in page.cssselect("dl.figures div")}
    assert figures == {"Documents": "6", "Dated events": str(len(real_site.report.linked.site.events)),
                       "Territories": "9", "Their total area": "14,682 km²", "Period covered": "1988 – 2025"}
    assert page.cssselect("ol.year-axis li.year-bar")


def test_chronology_merges_events_and_publications(real_site):
    page = real_site.page("chronology/")
    items = page.cssselect("ol.timeline li")
    kinds = {item.get("class").split()[-1] for item in items}
    assert {"kind-occupation", "kind-publication", "kind-agreement", "kind-resolution"} <= kinds
    published = page.get_element_by_id("published-aliyev-kalbajar-return-speech-2025")
    assert published.cssselect("a")[0].get("href") == "../articles/aliyev-kalbajar-return-speech-2025/index.html"


FORUM_REPORTS = ("aliyev-shusha-media-forum-2023", "aliyev-shusha-media-forum-2025")


def test_the_forum_name_is_not_a_mention_of_shusha(real_site):
    """#12: "Shusha Global Media Forum" is declared in not_mentions, so neither report names Shusha."""
    shusha = real_site.page("territories/shusha/")
    listed = {a.get("href").split("/")[-2] for a in shusha.cssselect("article.kwic-group h3 a, li.doc-item a")}
    assert listed.isdisjoint(FORUM_REPORTS) and "aliyev-kalbajar-return-speech-2025" in listed
    for slug in FORUM_REPORTS:
        page = real_site.page(f"articles/{slug}/")
        assert "Shusha" not in [m.text for m in page.cssselect(".prose .mention")]
        locations = [place["name"] for data in _structured(page) for place in data.get("contentLocation", ())]
        assert "Shusha" not in locations and "Khankendi" in locations


def test_places_are_listed_under_their_territory(real_site):
    """#12: Khankendi is a place in Nagorno-Karabakh; "the city of Kalbajar" is the city, not the district."""
    karabakh = real_site.page("territories/nagorno-karabakh/")
    khankendi = karabakh.get_element_by_id("place-khankendi")
    groups = {a.get("href").split("/")[-2] for a in khankendi.cssselect("article.kwic-group h4 a")}
    # #15: a report that also names Nagorno-Karabakh has its Khankendi sentences under it in the list of documents
    listed = {item.cssselect(".doc-title a")[0].get("href").split("/")[-2]
              for item in karabakh.cssselect("section[aria-labelledby='territory-documents'] li.doc-item")
              if any(p.cssselect("a")[0].get("href").endswith("#place-khankendi") for p in item.cssselect("p.kwic-place"))}
    assert groups.isdisjoint(listed) and set(FORUM_REPORTS) <= groups | listed
    own = [kwic for kwic in karabakh.cssselect("section[aria-labelledby='territory-documents'] ol.kwic")
           if "kwic-place" not in (kwic.getprevious().get("class") or "")]
    assert "Khankendi" not in {m.text for kwic in own for m in kwic.cssselect("mark")}
    kalbajar = real_site.page("territories/kalbajar/")
    # #15: the speech names the district too, so its sentences naming the city are under it in the list of documents
    speech = kalbajar.cssselect("section[aria-labelledby='territory-documents'] li.doc-item")[0]
    [city] = [p for p in speech.cssselect("p.kwic-place") if p.cssselect("a")[0].get("href") == "index.html#place-kalbajar-city"]
    assert {m.text for m in city.getnext().cssselect("mark")} == {"city of Kalbajar"}
    assert kalbajar.get_element_by_id("place-kalbajar-city").cssselect("mark") == []
    names = kalbajar.cssselect("dl.meta dd")[0]
    assert [(s.get("lang"), s.text) for s in names.cssselect("span[lang]")] == [
        ("az", "Kəlbəcər"), ("hy-Latn", "Karvachar"), ("hy", "Քարվաճառ"), ("ru", "Карвачар"), ("ru", "Кельбаджар")]


def _structured(page) -> list[dict]:
    return [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']")]


def test_a_kept_ranking_of_related_documents_is_the_ranking_and_is_ranked_again_when_tags_change(real_site):
    """The ranking is kept in the cache under a digest of what it reads (#13); what comes back
    from there equals a fresh ranking, and a changed tag is a new ranking, the old entry dropped."""
    from dataclasses import replace

    from karabakh_site.site.related import rank_all_related, rank_all_related_kept

    linked = real_site.report.linked
    names = {t.id: t.name for t in linked.site.territories}
    fresh = rank_all_related(linked.articles_by_date, linked.territories_of, names)
    kept: dict = {}
    assert rank_all_related_kept(linked.articles_by_date, linked.territories_of, names, kept) == fresh
    assert len(kept) == 1
    json.dumps(next(iter(kept.values())))  # plain data only
    assert rank_all_related_kept(linked.articles_by_date, linked.territories_of, names, kept) == fresh
    retagged = tuple(replace(a, tags=("a new tag",)) if i == 0 else a for i, a in enumerate(linked.articles_by_date))
    again = rank_all_related_kept(retagged, linked.territories_of, names, kept)
    assert again == rank_all_related(retagged, linked.territories_of, names)
    assert len(kept) == 1
