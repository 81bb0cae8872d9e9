"""The interface in several languages (#16): a tree of the same pages per language, linked both ways.

The shipped content lists English (at the root), Azerbaijani, Russian and Armenian, each with
its strings file in the theme.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from karabakh_site.commands.build import build

from conftest import PROJECT, options_for

OTHER_LANGUAGES = ("az", "ru", "hy")
KALBAJAR_SPEECH = "articles/aliyev-kalbajar-return-speech-2025/index.html"
SCREENSHOTS = PROJECT / "build-artifacts" / "screenshots"


def tree_pages(out: Path, folder: str) -> set[str]:
    """The HTML pages of one language's tree, by their path within it."""
    root = out / folder if folder else out
    found = {p.relative_to(root).as_posix() for p in root.rglob("*.html")}
    if not folder:
        found = {p for p in found if p.split("/")[0] not in OTHER_LANGUAGES}
    return found


def parse(out: Path, path: str):
    return lxml.html.fromstring((out / path).read_bytes())


def test_every_language_has_the_same_pages_with_its_html_lang(real_site):
    english = tree_pages(real_site.out, "")
    assert len(english) > 50 and KALBAJAR_SPEECH in english
    for language in OTHER_LANGUAGES:
        assert tree_pages(real_site.out, language) == english, language
    for path in sorted(english)[:: max(1, len(english) // 25)] + [KALBAJAR_SPEECH, "404.html"]:
        assert parse(real_site.out, path).get("lang") == "en"
        for language in OTHER_LANGUAGES:
            assert parse(real_site.out, f"{language}/{path}").get("lang") == language, (language, path)


def test_hreflang_alternates_are_complete_reciprocal_and_exist(real_site):
    base = "https://example.org/karabakh-archive/"
    english = sorted(tree_pages(real_site.out, ""))
    for path in english:
        for folder in ("", *(f"{language}/" for language in OTHER_LANGUAGES)):
            page = parse(real_site.out, folder + path)
            alternates = {link.get("hreflang"): link.get("href")
                          for link in page.xpath("//head/link[@rel='alternate'][@hreflang]")}
            assert set(alternates) == {"en", *OTHER_LANGUAGES, "x-default"}, folder + path
            assert alternates["x-default"] == alternates["en"]
            canonical = page.xpath("//head/link[@rel='canonical']/@href")[0]
            assert canonical == alternates[folder.rstrip("/") or "en"], folder + path  # the page names itself
            for href in alternates.values():
                assert href.startswith(base)
                target = href[len(base):]
                target = target + "index.html" if target.endswith("/") or not target else target
                assert (real_site.out / target).is_file(), href
                other = parse(real_site.out, target)  # reciprocal: the alternate lists this page back
                assert canonical in other.xpath("//head/link[@rel='alternate'][@hreflang]/@href"), (href, canonical)


def test_the_language_switch_names_each_language_in_itself_and_keeps_the_page(real_site):
    names = {"en": "English", "az": "Azərbaycanca", "ru": "Русский", "hy": "Հայերեն"}
    for folder, current in (("", "en"), ("ru/", "ru"), ("hy/", "hy")):
        page_path = folder + KALBAJAR_SPEECH
        page = parse(real_site.out, page_path)
        links = page.xpath("//header//nav[contains(@class, 'lang-switch')]//a")
        assert [(a.get("lang"), a.get("hreflang"), a.text_content()) for a in links] == \
            [(tag, tag, name) for tag, name in names.items()]
        assert [a.get("lang") for a in links if a.get("aria-current")] == [current]
        for link in links:
            target = (real_site.out / page_path).parent / link.get("href")
            tag = link.get("lang")
            assert target.resolve() == (real_site.out / ("" if tag == "en" else f"{tag}/") / KALBAJAR_SPEECH).resolve()


def body_without_paragraph_links(page) -> bytes:
    """The HTML of a page's body text with the ¶ links (interface words) taken out."""
    prose = copy.deepcopy(page.xpath("//div[contains(@class, 'prose')]")[0])
    for link in prose.xpath(".//a[starts-with(@href, '#p-')]"):
        link.drop_tree()
    return lxml.html.tostring(prose.xpath("p")[0])


def test_documents_stay_in_english_and_say_so_in_other_interfaces(real_site):
    english = parse(real_site.out, KALBAJAR_SPEECH)
    assert english.xpath("//div[contains(@class, 'prose')]/@lang") == []
    assert english.xpath("//p[contains(@class, 'doc-language')]") == []
    for language in OTHER_LANGUAGES:
        page = parse(real_site.out, f"{language}/{KALBAJAR_SPEECH}")
        assert page.xpath("//div[contains(@class, 'prose')]/@lang") == ["en"]
        assert page.xpath("//article//h1/@lang") == ["en"]
        note = page.xpath("//p[contains(@class, 'doc-language')]")
        assert len(note) == 1 and note[0].text_content().strip()
        # The same body HTML in every tree: rendered once, not translated (only the ¶ link's
        # accessible name, "Paragraph 1", is the interface's).
        assert body_without_paragraph_links(page) == body_without_paragraph_links(english)
        about = parse(real_site.out, f"{language}/about/index.html")
        assert about.xpath("//div[contains(@class, 'prose')]/@lang") == ["en"]


def test_territory_names_in_the_interface_language_with_the_english_alongside(real_site):
    def heading(path: str) -> tuple[str, list[str]]:
        h1 = parse(real_site.out, path).xpath("//main//h1")[0]
        return h1.text_content(), h1.xpath(".//span/@lang")

    assert heading("territories/kalbajar/index.html") == ("Kalbajar", [])
    assert heading("ru/territories/kalbajar/index.html") == ("Кельбаджар (Kalbajar)", ["en"])
    assert heading("az/territories/kalbajar/index.html") == ("Kəlbəcər (Kalbajar)", ["en"])
    assert heading("hy/territories/kalbajar/index.html") == ("Kalbajar", [])  # no Armenian rendering chosen
    assert heading("hy/territories/aghdam/index.html") == ("Աղդամ (Aghdam)", ["en"])
    title = parse(real_site.out, "ru/territories/kalbajar/index.html").xpath("//title")[0].text_content()
    assert title.startswith("Кельбаджар (Kalbajar)")
    listed = parse(real_site.out, "ru/territories/index.html").xpath("//table//th[@scope='row']/a")
    assert "Шуша (Shusha)" in [a.text_content() for a in listed]
    article = parse(real_site.out, f"ru/{KALBAJAR_SPEECH}")
    assert "Кельбаджар (Kalbajar)" in [a.text_content() for a in article.xpath("//a[@data-pagefind-filter='territory']")]
    # The other names leave out the one the heading already shows in the page's language.
    other_names = {lang: parse(real_site.out, f"{lang}territories/kalbajar/index.html").xpath("//dl[@class='meta']/dd")[0]
                   .text_content() for lang in ("", "ru/")}
    assert "Кельбаджар" in other_names[""] and "Кельбаджар" not in other_names["ru/"]
    assert "Карвачар" in other_names["ru/"]
    # Every name is searched for: the Armenian alias is among the hidden names of the page.
    hidden = " ".join(p.text_content() for p in parse(real_site.out, f"hy/{KALBAJAR_SPEECH}").xpath("//p[@hidden]"))
    assert "Քարվաճառ" in hidden


def test_the_sitemap_lists_every_language_and_the_files_are_shared(real_site):
    sitemap = lxml.etree.parse(str(real_site.out / "sitemap.xml"))
    locations = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for folder in ("", "az/", "ru/", "hy/"):
        assert f"https://example.org/karabakh-archive/{folder}articles/aliyev-kalbajar-return-speech-2025/" in locations
    assert len(locations) == 4 * len([p for p in tree_pages(real_site.out, "") if p != "404.html"])
    for language in OTHER_LANGUAGES:  # feeds, data, static files and originals are one for all languages
        assert not (real_site.out / language / "feed.xml").exists()
        assert not (real_site.out / language / "static").exists()
        assert not any((real_site.out / language / "data").glob("*.json"))


def test_a_site_in_one_language_has_no_switch_and_no_alternates(fixture_site):
    page = fixture_site.page("index.html")
    assert page.xpath("//nav[contains(@class, 'lang-switch')]") == []
    assert page.xpath("//link[@hreflang]") == []


def test_an_article_in_another_language_is_marked_in_every_tree(make_site, tmp_path):
    root = make_site({"site.yaml": "title: Mini\nbase_url: https://example.org/mini/\nlanguages: [en, en-GB]\n",
                      "articles/one.md": "---\ntitle: Одна\nlanguage: ru\nsource: {name: X}\n---\nТекст.\n"})
    build(options_for(root, tmp_path / "out"))
    for path in ("articles/one/index.html", "en-GB/articles/one/index.html"):
        page = lxml.html.fromstring((tmp_path / "out" / path).read_bytes())
        assert page.xpath("//div[contains(@class, 'prose')]/@lang") == ["ru"], path
        assert len(page.xpath("//p[contains(@class, 'doc-language')]")) == 1


def test_cached_builds_in_every_language_match_clean_builds(tmp_path):
    """The languages share the bodies rendered once; a cached build of all trees is byte-identical."""
    from test_build import digest_tree

    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    cache = tmp_path / ".cache"
    build(options_for(content, tmp_path / "cached", cache_dir=cache))
    chronology = content / "chronology.yaml"
    text = chronology.read_text(encoding="utf-8")
    assert 'names: {az: "Kəlbəcər", ru: "Кельбаджар"}' in text
    chronology.write_text(text.replace('names: {az: "Kəlbəcər", ru: "Кельбаджар"}',
                                       'names: {az: "Kəlbəcər rayonu", ru: "Кельбаджар"}'), encoding="utf-8")
    build(options_for(content, tmp_path / "cached", cache_dir=cache))
    build(options_for(content, tmp_path / "clean"))
    assert digest_tree(tmp_path / "cached") == digest_tree(tmp_path / "clean")
    heading = lxml.html.fromstring((tmp_path / "cached" / "az/territories/kalbajar/index.html").read_bytes())
    assert heading.xpath("//main//h1")[0].text_content() == "Kəlbəcər rayonu (Kalbajar)"


# --- In Chromium ---------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["http", "file"])
def test_the_switch_lands_on_the_same_page_in_chromium(published_site, new_page, how):
    page = new_page()
    url = published_site.http_url(KALBAJAR_SPEECH) if how == "http" else published_site.file_url(KALBAJAR_SPEECH)
    page.goto(url)
    page.locator("nav.lang-switch a[hreflang=ru]").click()
    page.wait_for_load_state()
    expected = published_site.http_url(f"ru/{KALBAJAR_SPEECH}") if how == "http" else published_site.file_url(f"ru/{KALBAJAR_SPEECH}")
    assert page.url.removesuffix("index.html") == expected.removesuffix("index.html")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("nav.lang-switch a[aria-current]").get_attribute("hreflang") == "ru"
    page.locator("nav.lang-switch a[hreflang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.removesuffix("index.html").endswith(KALBAJAR_SPEECH.removesuffix("index.html"))


def test_a_search_in_armenian_finds_the_kalbajar_documents(published_site, new_page):
    """Pagefind's Armenian index (the hy pages' <html lang>) holds the hidden names, Քարվաճառ among them."""
    page = new_page()
    page.goto(published_site.http_url("hy/search/index.html") + "?q=Քարվաճառ")
    results = page.locator("[data-search-results] li a")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("/hy/articles/aliyev-kalbajar-return-speech-2025/" in href for href in hrefs), hrefs
    assert all("/hy/" in href for href in hrefs), hrefs  # the Armenian tree's index only
    assert any("/hy/territories/kalbajar/" in href for href in hrefs), hrefs


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_a_russian_article_and_territory(published_site, new_page, width, scheme):
    """Review screenshots: the language switch, the note and the names in the Russian tree."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(width=width, color_scheme=scheme)
    for name, path in (("article", f"ru/{KALBAJAR_SPEECH}"), ("territory", "ru/territories/kalbajar/index.html")):
        page.goto(published_site.http_url(path))
        assert page.locator("nav.lang-switch").is_visible()
        page.screenshot(path=str(SCREENSHOTS / f"languages-ru-{name}-{width}-{scheme}.png"))


def test_charts_write_their_figures_the_interface_languages_way(real_site):
    """The bar chart and the area chart say '4 400 км²' in Russian, as the tables do, and English keeps '4,400 km²'."""
    def chart_texts(path: str, css: str) -> list[str]:
        page = parse(real_site.out, path)
        return [t.text_content() for t in page.xpath(f"//*[local-name()='svg']//*[local-name()='text'][contains(@class, '{css}')]")]

    assert chart_texts("territories/index.html", "chart-value")[0] == "4,400 km²"
    assert chart_texts("ru/territories/index.html", "chart-value")[0] == "4\u00a0400 км²"
    assert chart_texts("az/territories/index.html", "chart-value")[0] == "4.400 kv km"
    assert chart_texts("ru/chronology/index.html", "chart-total") == ["8\u00a0638 км²"]
    table = parse(real_site.out, "ru/territories/index.html").xpath("//table//td[contains(@class, 'num')]")
    assert "4\u00a0400 км²" in [cell.text_content() for cell in table]
