"""Page furniture (#15): citations, territory pages, the home page, the header and footer in a real browser."""

from __future__ import annotations

import dataclasses
import re

import pytest

from karabakh_site.cite import plain_citation
from karabakh_site.strings import load_strings

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
