"""Publishing: feeds, sitemap, robots.txt, page metadata, JSON-LD and open data files."""

import csv
import io
import json

import feedparser
import lxml.etree

BASE = "https://example.org/karabakh-archive/"


def test_site_feed_parses_and_has_every_document_dated_to_an_exact_day(real_site):
    feed = feedparser.parse((real_site.out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    exact = [a for a in real_site.report.linked.articles_by_date if a.date and a.date.is_exact_day]
    assert [e.link for e in feed.entries] == [f"{BASE}articles/{a.slug}/" for a in exact]
    assert len(feed.entries) == 3  # the AZTV interview, "20 July 2021 or later", has no day to give
    first = feed.entries[0]
    assert first.title == "Aliyev’s speech to former residents returning to Kalbajar"
    assert first.published == "2025-08-21T00:00:00Z"
    assert feed.feed.updated == "2025-08-21T00:00:00Z"
    assert "Undated documents (2)" in feed.feed.subtitle
    assert "Documents not dated to one exact day (1:" in feed.feed.subtitle
    assert "Kalbajar" in first.content[0].value


def test_tag_and_territory_feeds(real_site):
    for path in ("territories/kalbajar/feed.xml", "tags/occupation/feed.xml"):
        feed = feedparser.parse((real_site.out / path).read_bytes())
        assert not feed.bozo, (path, feed.bozo_exception)
        assert feed.entries, path
    page = real_site.page("territories/kalbajar/")
    feeds = [link.get("href") for link in page.cssselect('link[rel="alternate"][type="application/atom+xml"]')]
    assert feeds == ["../../feed.xml", "feed.xml"]


def test_no_feed_is_written_or_linked_without_an_entry(real_site):
    """An empty feed would need an invented time stamp; some territories are named only in texts without a day."""
    linked = real_site.report.linked
    for territory in linked.site.territories:
        exact = [a for a in linked.articles_by_territory.get(territory.id, ()) if a.date and a.date.is_exact_day]
        feed = real_site.out / "territories" / territory.id / "feed.xml"
        links = real_site.page(f"territories/{territory.id}/").cssselect('link[rel="alternate"][type="application/atom+xml"]')
        assert feed.exists() == bool(exact) == (len(links) == 2), territory.id
        if feed.exists():
            assert "1970" not in feedparser.parse(feed.read_bytes()).feed.updated
    assert any(not (real_site.out / "territories" / t.id / "feed.xml").exists() for t in linked.site.territories)


def test_sitemap_lists_every_page_by_its_canonical_url(real_site):
    tree = lxml.etree.parse(str(real_site.out / "sitemap.xml"))
    listed = tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    canonical = [real_site.page(str(p)).cssselect('link[rel="canonical"]')[0].get("href")
                 for p in real_site.html_paths() if p.name != "404.html"]
    assert sorted(listed) == sorted(canonical)
    assert len(set(listed)) == len(listed) > 50
    robots = (real_site.out / "robots.txt").read_text()
    assert robots.splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"


def test_open_graph_and_twitter_metadata(real_site):
    page = real_site.page("articles/aliyev-kalbajar-return-speech-2025/")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.cssselect("meta[content]")}
    assert meta["og:type"] == "article"
    assert meta["og:url"] == f"{BASE}articles/aliyev-kalbajar-return-speech-2025/"
    assert meta["og:title"] == "Aliyev’s speech to former residents returning to Kalbajar · Karabakh Archive"
    assert meta["article:published_time"] == "2025-08-21"
    assert meta["twitter:card"] == "summary"
    # The card takes its title and description from og: (no second copy on every page).
    assert "twitter:title" not in meta and "twitter:description" not in meta
    assert meta["og:description"].startswith("News.Az, citing AZERTAC, reports")


def json_ld(site, path):
    blocks = site.page(path).cssselect('script[type="application/ld+json"]')
    return [json.loads(block.text) for block in blocks]


def test_json_ld_parses_on_every_page(real_site):
    kinds = set()
    for path in real_site.html_paths():
        for data in json_ld(real_site, str(path)):
            kinds.add(data.get("@type") or data["@graph"][0]["@type"])
    assert kinds == {"WebSite", "NewsArticle", "Event", "Place"}


def test_json_ld_states_only_what_the_content_states(real_site):
    [speech] = json_ld(real_site, "articles/aliyev-kalbajar-return-speech-2025/")
    assert speech["@type"] == "NewsArticle"
    assert speech["datePublished"] == "2025-08-21"
    assert speech["publisher"] == {"@type": "Organization", "name": "News.Az"}
    [aztv] = json_ld(real_site, "articles/aliyev-aztv-interview-zangezur/")
    assert "datePublished" not in aztv and "publisher" not in aztv  # "20 July 2021 or later", outlet not named
    [events] = json_ld(real_site, "chronology/")
    assert len(events["@graph"]) == len(real_site.report.linked.site.events)
    shusha = next(e for e in events["@graph"] if e["url"].endswith("#event-occupation-shusha"))
    assert (shusha["startDate"], shusha["endDate"]) == ("1992-05-08", "1992-05-08")
    [place] = json_ld(real_site, "territories/kalbajar/")
    assert place["@type"] == "Place" and place["additionalProperty"]["value"] == 3054


def test_chronology_data_equals_the_chronology(real_site):
    site = real_site.report.linked.site
    data = json.loads((real_site.out / "data" / "chronology.json").read_text())
    assert {t["id"]: t["area_km2"] for t in data["territories"]} == {t.id: t.area_km2 for t in site.territories}
    assert sum(t["area_km2"] for t in data["territories"]) == 14682
    assert [e["id"] for e in data["events"]] == [e.id for e in site.events]
    nk = next(e for e in data["events"] if e["id"] == "occupation-nagorno-karabakh")
    assert (nk["date"], nk["start"], nk["end"]) == ("1988/1992", "1988-01-01", "1992-12-31")
    assert nk["quotes"] == [{"article": "occupation-in-figures", "quote": "Nagorno-Karabakh: 1988-1992, territory 4400 km2",
                             "date_basis": None,
                             "url": site.config.base_url + "articles/occupation-in-figures/#p-1"}]
    assert all(len(e["quotes"]) == len(e["sources"]) >= 1 for e in data["events"])
    rows = list(csv.DictReader(io.StringIO((real_site.out / "data" / "chronology.csv").read_text())))
    assert [r["id"] for r in rows] == [e.id for e in site.events]
    occupation_total = sum(float(r["area_km2"]) for r in rows if r["kind"] == "occupation")
    assert occupation_total == 14682
    # An area only where the event changes it (issue 12): not beside a statement naming a territory.
    assert all(r["area_km2"] == "" for r in rows if r["kind"] not in ("occupation", "return"))


def test_articles_data_lists_every_document_with_its_url(real_site):
    data = json.loads((real_site.out / "data" / "articles.json").read_text())
    records = {a["slug"]: a for a in data["articles"]}
    assert set(records) == {a.slug for a in real_site.report.linked.site.articles}
    figures = records["occupation-in-figures"]
    assert (figures["date"], figures["url"]) == (None, f"{BASE}articles/occupation-in-figures/")
    assert len(figures["events"]) == 9
    aztv = records["aliyev-aztv-interview-zangezur"]
    assert (aztv["date"], aztv["start"], aztv["end"]) == ("2021-07-20/..", "2021-07-20", None)
    assert real_site.page("data/").cssselect("h1")[0].text_content() == "Open data"
