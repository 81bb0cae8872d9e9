"""The archive's real content: originals kept byte for byte, the site built from them."""

import hashlib

from conftest import PROJECT

ORIGINALS = {
    "000_d2d267d8cafc1f86.txt": "6c9130f494db8cee0809398ef642a025267de9f24f379d03e9a1831fb0a79102",
    "001_101b87d8289ca109.txt": "52fc23f16a2de6c23e92da526b21a613a73a2f8c4f9abfc8d5381f85671e2934",
    "002_0dbd30f75ab8431c.txt": "47f05e9db264ff2f2d91a68195a0226ed493612a73970bdc47b127507b4df580",
    "003_2606052e73648c79.txt": "5fbfc0efd4deeb6f4b56e154bc53f8356fe24a26a97339524476104c9c3c8939",
    "004_a1c2208b58152176.txt": "3cb00cdd34221c6af04761f1f35b5ead842ddc3abdef67f10f81578b961fb2ae",
}
AREAS = {"nagorno-karabakh": 4400, "shusha": 289, "lachin": 1840, "kalbajar": 3054, "aghdam": 1150,
         "fizuli": 1390, "jabrayil": 1050, "gubadli": 802, "zangilan": 707}


def test_originals_are_kept_byte_for_byte():
    sources = PROJECT / "content" / "sources"
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sources.glob("*.txt")}
    assert found == ORIGINALS


def test_real_site_has_every_article_territory_and_page(real_site):
    linked = real_site.report.linked
    assert len(linked.site.articles) == 6
    assert {a.original for a in linked.site.articles} == set(ORIGINALS)
    assert {t.id: t.area_km2 for t in linked.site.territories} == AREAS
    assert sum(AREAS.values()) == 14682
    for article in linked.site.articles:
        page = real_site.page(f"articles/{article.slug}/")
        assert page.cssselect("h1")[0].text_content() == article.title
        assert page.cssselect("dl.meta dt")[0].text_content() == "Date"
        assert page.cssselect(".prose p"), article.slug
    for territory_id in AREAS:
        assert real_site.page(f"territories/{territory_id}/").cssselect("h1")
    assert real_site.page("about/").cssselect("h1")[0].text_content() == "About this archive"


def test_occupation_dates_as_the_table_gives_them(real_site):
    page = real_site.page("territories/shusha/")
    events = [a.text_content() for a in page.cssselect("#territory-events + ul > li > a")]
    assert "8 May 1992: Shusha: date of “occupation” given by “The Occupation in Figures”" in events
    karabakh = real_site.page("territories/nagorno-karabakh/")
    assert "1988–1992: Nagorno-Karabakh: period of “occupation” given by “The Occupation in Figures”" in [
        a.text_content() for a in karabakh.cssselect("#territory-events + ul > li > a")]


def test_dates_are_shown_as_the_texts_give_them(real_site):
    dates = {}
    for item in real_site.page("articles/").cssselect("li.doc-item"):
        title = item.cssselect(".doc-title")[0].text_content()
        dates[title] = item.cssselect(".doc-meta")[0].text_content().split(" · ")[0]
    assert dates["Aliyev meets participants of the Third Shusha Global Media Forum"] == "19 July 2025"
    assert dates["Aliyev: Moscow and Baku on same positions regarding ‘Zangezur Corridor’"] == "20 July 2021 or later"
    assert dates["The Occupation in Figures"] == "undated"
    assert list(dates.values())[-2:] == ["undated", "undated"]


def test_every_event_cites_an_existing_article_page(real_site):
    page = real_site.page("chronology/")
    events = page.cssselect("li.event[id^=event-]")
    assert len(events) == len(real_site.report.linked.site.events)
    for event in events:
        cited = [a.get("href") for a in event.cssselect(".event-links a") if "/articles/" in a.get("href")]
        assert cited, event.get("id")
