"""The archive attributes, it never asserts (#12): contested terms only in quotation marks, titles it gave marked.

Each check is refused on a small broken site with its file and line (the previous output
untouched), quoting the words makes it pass, and the shipped content passes. Pages, citations
and JSON-LD are parsed to show how a title the archive gave differs from a published headline.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from karabakh_site.commands.build import build
from karabakh_site.errors import BuildFailed
from karabakh_site.content.load import load_content
from karabakh_site.render.strings import load_strings
from karabakh_site.content.voice import check_strings_voice, check_voice, unquoted_terms

from conftest import PROJECT, THEME, options_for
from test_bad_input import article, chronology, good_build, previous, refused  # noqa: F401 (fixtures)

HINT = ("quote the source's own words in “…” and say whose they are, e.g. “occupation”, as "
        "“The Occupation in Figures” calls it; or use neutral words")
TITLE_NOTE = load_strings([THEME], "en")[0]["title_by_archive"]
MINIMAL_TITLE_LINE = 'title: "Shusha: “occupation” date"'


def contested(where: str, what: str, word: str) -> str:
    """The error for ``word`` in ``what`` at ``where``, as the build prints it."""
    return f"{where}: {what} uses the contested term {word!r} outside quotation marks, in the archive's own voice ({HINT})"


# --- Finding the terms --------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("Occupied districts, occupiers and the OCCUPATION", ["Occupied", "occupiers", "OCCUPATION"]),
    ("liberated, Liberation; an anti-terrorist operation", ["liberated", "Liberation", "anti-terrorist"]),
    ("the so-called regime, ethnic\ncleansing, the separatist junta", ["so-called", "ethnic\ncleansing", "separatist", "junta"]),
    ("İşğal, Оккупация", ["İşğal", "Оккупация"]),  # diacritics folded, any case and script
    ("occupational, preoccupied, liberal, terrain, annex", []),  # other words are not the terms
])
def test_terms_are_found_in_every_form_as_whole_words(text, words):
    assert [word for _, word in unquoted_terms(text)] == words


@pytest.mark.parametrize("text", [
    "the date of “occupation” given by the table",
    'what he calls "liberation"',
    "the «aggression» the statement names",
    "“the junta that calls itself “presidents”, then “ministers””",  # quotations nest
    "the speech’s ‘anti-terrorist operation’",
])
def test_quoted_terms_are_the_sources_words(text):
    assert list(unquoted_terms(text)) == []


@pytest.mark.parametrize("text, words", [
    ("“occupation", ["occupation"]),  # an unclosed quotation quotes nothing
    ("Aliyev’s occupation", ["occupation"]),  # an apostrophe is not a quotation mark
    ("“the table” says occupation", ["occupation"]),
])
def test_terms_outside_quotation_marks_are_found(text, words):
    assert [word for _, word in unquoted_terms(text)] == words


def test_the_shipped_content_and_strings_speak_only_in_attributions():
    raw, problems = load_content(PROJECT / "content")
    assert not problems
    assert check_voice(raw).sorted() == []
    for path in sorted((THEME / "strings").glob("*.yaml")):
        assert check_strings_voice(path.read_text(encoding="utf-8"), str(path)).sorted() == []


# --- Refused with file and line ---------------------------------------------------------

def test_chronology_titles_and_notes_are_checked(make_site, previous):
    broken = chronology(MINIMAL_TITLE_LINE, "title: Occupation of Shusha")
    broken = broken.replace("    area_km2: 289\n", "    area_km2: 289\n    note: Liberated in 2020.\n", 1)
    broken = broken.replace("    kind: occupation\n", "    kind: occupation\n    note: By the aggressor.\n", 1)
    assert refused(make_site({"chronology.yaml": broken}), previous) == [
        contested("SITE/chronology.yaml:6:11", "'note' of territory 'shusha'", "Liberated"),
        contested("SITE/chronology.yaml:10:12", "'title' of event 'occupation-shusha'", "Occupation"),
        contested("SITE/chronology.yaml:12:18", "'note' of event 'occupation-shusha'", "aggressor"),
    ]


def test_article_fields_the_archive_writes_are_checked_together(make_site, previous):
    front = ("---\ntitle: The junta\ntitle_by: archive\nsource: {name: X, note: A separatist outlet.}\n"
             "date_note: Dated after the capitulation.\nsummary: On the genocide.\n"
             "edits:\n  - {from: Body, to: Body., why: The occupier's typo.}\n---\nBody.\n")
    assert refused(make_site({"articles/one.md": front}), previous) == [
        contested("SITE/articles/one.md:2:12", "'title' of the article", "junta"),
        contested("SITE/articles/one.md:4:19", "'note' of the article's source", "separatist"),
        contested("SITE/articles/one.md:5:28", "'date_note' of the article", "capitulation"),
        contested("SITE/articles/one.md:6:17", "'summary' of the article", "genocide"),
        contested("SITE/articles/one.md:8:38", "'why' of an edit", "occupier"),
    ]


def test_page_summary_and_text_are_checked(make_site, previous):
    page = ("---\ntitle: About\nsummary: Terrorism explained.\n---\n\nFirst paragraph.\n\n"
            "The `occupation` kind and [the figures](../articles/one.md) are fine; the\n"
            "liberation is not.\n")
    assert refused(make_site({"pages/about.md": page}), previous) == [
        contested("SITE/pages/about.md:3:10", "'summary' of the page", "Terrorism"),
        contested("SITE/pages/about.md:9", "the page's text", "liberation"),
    ]


def test_interface_strings_are_checked_where_they_are_loaded(make_site, previous, tmp_path):
    folder = tmp_path / "my-theme"
    (folder / "strings").mkdir(parents=True)
    strings_file = folder / "strings" / "en.yaml"
    strings_file.write_text("# my words\narea_heading: Area under occupation\nkind_return: Return\n"
                            "search_script:\n  none: Nothing on “occupation” and nothing on aggression\n",
                            encoding="utf-8")
    root = make_site()
    with pytest.raises(BuildFailed) as caught:
        build(options_for(root, previous.out, templates=(folder,)))
    previous.assert_untouched()
    assert [(Path(e.path).resolve(), e.line, e.message.split(" uses ")[0]) for e in caught.value.errors] == [
        (strings_file, 2, "the interface string 'area_heading'"),
        (strings_file, 5, "the interface string 'search_script.none'"),
    ]


def test_voice_problems_come_with_the_other_problems_of_the_run(make_site, previous):
    root = make_site({"articles/one.md": article("date: '2023-02-30'\nsummary: The aggression.\n"),
                      "chronology.yaml": chronology(MINIMAL_TITLE_LINE, "title: Liberation of Shusha")})
    assert refused(root, previous) == [
        "SITE/articles/one.md:4:7: invalid EDTF date '2023-02-30': not a real date or not EDTF",
        contested("SITE/articles/one.md:5:14", "'summary' of the article", "aggression"),
        contested("SITE/chronology.yaml:9:12", "'title' of event 'occupation-shusha'", "Liberation"),
    ]


def test_title_by_takes_archive_or_source(make_site, previous):
    assert refused(make_site({"articles/one.md": article("title_by: archiv\n")}), previous) == [
        "SITE/articles/one.md:4:11: title_by 'archiv' is not one of source, archive (did you mean 'archive'?)"]


def test_a_published_headline_and_quoted_words_pass(make_site, previous):
    files = {
        "articles/one.md": article("summary: The report quotes “the occupation” and «aggression».\n",
                                   body="The occupation, as published.\n").replace("title: One", "title: Occupation as headline"),
        "chronology.yaml": chronology(MINIMAL_TITLE_LINE, 'title: "Shusha: date of “occupation” in the table"'),
    }
    build(options_for(make_site(files), previous.out))
    page = lxml.html.fromstring((previous.out / "articles/one/index.html").read_bytes())
    assert page.cssselect("h1")[0].text_content() == "Occupation as headline"
    assert page.cssselect("p.title-by") == []


# --- A title the archive gave, shown as such ---------------------------------------------

def structured_article(page) -> dict:
    """The NewsArticle JSON-LD of an article page, parsed."""
    blocks = [json.loads(script.text) for script in page.xpath("//script[@type='application/ld+json']")]
    [data] = [block for block in blocks if block.get("@type") == "NewsArticle"]
    return data


def test_a_title_the_archive_gave_is_marked_on_the_page_in_citations_and_json_ld(make_site, previous):
    root = make_site({"articles/one.md": article("title_by: archive\n").replace("title: One", "title: A speech")})
    build(options_for(root, previous.out))
    page = lxml.html.fromstring((previous.out / "articles/one/index.html").read_bytes())
    header = page.cssselect("header.doc-header")[0]
    assert header.cssselect("h1")[0].text_content() == "A speech"
    assert [p.text_content() for p in header.cssselect("p.title-by")] == [TITLE_NOTE]
    assert TITLE_NOTE.startswith("Title given by the archive")
    assert page.cssselect("p.citation")[0].text_content().startswith("[A speech]. X, undated.")
    bibtex = page.cssselect("pre.bibtex code")[0].text_content()
    assert "  title = {[A speech]},\n" in bibtex and "  note = {Title given by the archive}," in bibtex
    data = structured_article(page)
    assert "headline" not in data
    assert (data["name"], data["description"]) == ("A speech", TITLE_NOTE)


def test_a_published_headline_stays_the_headline(make_site, previous):
    build(options_for(make_site({"articles/one.md": article("title_by: source\n")}), previous.out))
    page = lxml.html.fromstring((previous.out / "articles/one/index.html").read_bytes())
    assert page.cssselect("p.title-by") == []
    assert page.cssselect("p.citation")[0].text_content().startswith("“One”. X, undated.")
    assert "  title = {One},\n" in page.cssselect("pre.bibtex code")[0].text_content()
    data = structured_article(page)
    assert data["headline"] == "One" and "name" not in data and "description" not in data


def test_the_shipped_speech_page_says_its_title_is_the_archives(real_site):
    page = real_site.page("articles/aliyev-kalbajar-return-speech-2025/")
    assert [p.text_content() for p in page.cssselect("header p.title-by")] == [TITLE_NOTE]
    assert page.cssselect("p.citation")[0].text_content().startswith(
        "[Aliyev’s speech to former residents returning to Kalbajar]. News.Az, citing AZERTAC, 21 August 2025.")
    data = structured_article(page)
    assert "headline" not in data and data["name"] == "Aliyev’s speech to former residents returning to Kalbajar"
    headline = structured_article(real_site.page("articles/hajiyev-apa-statement/"))
    assert headline["headline"].startswith("Azerbaijan says it will never allow")


def test_the_shipped_titles_say_who_wrote_them():
    from karabakh_site.content.model import build_model
    site, problems = build_model(load_content(PROJECT / "content")[0])
    assert site is not None, problems.sorted()
    given = {a.slug for a in site.articles if a.title_by == "archive"}
    # 000 and 004 begin with their date line and the text: they have no headline.
    assert given == {"aliyev-shusha-media-forum-2025", "aliyev-kalbajar-return-speech-2025"}


def test_the_quick_fold_is_the_fold_character_by_character():
    """``unquoted_terms`` searches ``text.translate(_FOLDS)`` before folding with positions
    (#13); a text the quick fold finds nothing in must be one the full fold finds nothing in."""
    from karabakh_site.content import voice

    text = "".join(chr(code) for code in range(0x3000) if not 0xD800 <= code < 0xE000) + "İŞĞÜÖÇƏışğüöçə ẞß"
    assert text.translate(voice._FOLDS) == voice.fold(text)[0]
    assert list(voice.unquoted_terms("The OCCUPİED lands and “occupation”")) == [(4, "OCCUPİED")]
