"""Issue 12, part 1: every event quotes the words that state it, checked against the text, shown with a link."""

import posixpath

import pytest

from karabakh_site.text.dates import parse_date
from karabakh_site.text.markdown import render_markdown
from karabakh_site.site.quotes import closest_passage, find_quote, missing_date_parts

from test_bad_input import article, chronology, good_build, previous, refused  # noqa: F401 (fixtures)

SOURCES = 'sources: [{article: source-of-events, quote: "Dated May 8, 1992"}]'
"""The minimal site's one event source (chronology.yaml line 12)."""


def with_source(source: str) -> dict[str, str]:
    return {"chronology.yaml": chronology(SOURCES, source)}


BAD_SOURCES = {
    "quote-not-in-text": (
        with_source('sources: [{article: source-of-events, quote: "Dated 8 May 1992"}]'),
        ["SITE/chronology.yaml:12: quote of event 'occupation-shusha' is not in the text of "
         "SITE/articles/source-of-events.md: “Dated 8 May 1992” (the closest passage of the text is: "
         "“Dated May 8, 1992.”; copy the words exactly)"],
    ),
    "date-more-precise-than-quote": (
        with_source('sources: [{article: source-of-events, quote: "May"}]'),
        ["SITE/chronology.yaml:12:25: event 'occupation-shusha' is dated more precisely than its quote from "
         "'source-of-events': the quote does not state the year 1992, the day 8 May of '1992-05-08' (8 May 1992) "
         "(quote the words that state the date, or date the event only as precisely as its quote states it)"],
    ),
    "year-without-date-basis": (
        {"chronology.yaml": chronology(SOURCES, 'sources: [{article: one, quote: "On May 8"}]'),
         "articles/one.md": article(body="On May 8, the thing happened.\n")},
        ["SITE/chronology.yaml:12:25: event 'occupation-shusha' is dated more precisely than its quote from 'one': "
         "the quote does not state the year 1992 of '1992-05-08' (8 May 1992) (quote the words that give the "
         "year, or say in 'date_basis' what gives it (e.g. the document's date line))"],
    ),
    "date-basis-quotes-words-not-in-text": (
        {"chronology.yaml": chronology(SOURCES, 'sources: [{article: one, quote: "On May 8", '
                                                'date_basis: "The text says “in 1992 too”."}]'),
         "articles/one.md": article(body="On May 8, the thing happened, in 1992.\n")},
        ["SITE/chronology.yaml:12: date_basis of event 'occupation-shusha' quotes words not in the text of "
         "SITE/articles/one.md: “in 1992 too” (the closest passage of the text is: “… 8, the thing happened, "
         "in 1992.”; words in “…” in a date_basis must be copied exactly from the article)"],
    ),
    "source-without-quote": (
        with_source("sources: [source-of-events]"),
        ["SITE/chronology.yaml:12:14: event source 'source-of-events' gives no quote; each source is a mapping "
         "with 'article' and 'quote' (write sources: [{article: <slug>, quote: \"<the words of the article that "
         "state the event>\"}])"],
    ),
    "unknown-key-in-source": (
        with_source('sources: [{article: source-of-events, quote: "Dated May 8, 1992", date_bassis: x}]'),
        ["SITE/chronology.yaml:12:71: unknown key 'date_bassis' in event source (did you mean 'date_basis'?)"],
    ),
    "empty-sources": (
        with_source("sources: []"),
        ["SITE/chronology.yaml:12:14: event has no 'sources': list the articles that state it, each with its "
         "quote (write sources: [{article: <slug>, quote: \"<the words of the article that state the event>\"}])"],
    ),
    "unknown-article": (
        with_source('sources: [{article: source-of-event, quote: "Dated May 8, 1992"}]'),
        ["SITE/chronology.yaml:12:25: event 'occupation-shusha' cites unknown article 'source-of-event' "
         "(did you mean 'source-of-events'?)"],
    ),
}


@pytest.mark.parametrize("files, expected", BAD_SOURCES.values(), ids=BAD_SOURCES.keys())
def test_each_bad_event_source_is_refused_with_file_and_line(make_site, previous, files, expected):
    assert refused(make_site(files), previous) == expected


def test_quote_problems_come_back_together_with_other_problems(make_site, previous):
    files = with_source('sources: [{article: source-of-events, quote: "Dated May 9, 1992"}, '
                        '{article: source-of-events, quote: "Dated May"}]')
    files["articles/one.md"] = article("territories: [shusa]\n")
    errors = refused(make_site(files), previous)
    assert [error.split(": ", 1)[0] for error in errors] == [
        "SITE/articles/one.md:4:15", "SITE/chronology.yaml:12", "SITE/chronology.yaml:12"]
    assert "not in the text" in errors[1] + errors[2] and "the day 8 May" in errors[1] + errors[2]


@pytest.mark.parametrize("quote, date, has_basis, missing", [
    ("Shusha: may 08, 1992, territory 289 km2", "1992-05-08", False, []),
    ("in Helsinki on 24 March 1992", "1992-03-24", False, []),
    ("For us, September 19-20, 2023, are just as glorious", "2023-09-19/2023-09-20", False, []),
    ("For us, September 19-20, 2023, are just as glorious", "2023-09-19/2023-09-21", False, ["the day 21 September"]),
    ("On July 21-22, the forum was held", "2023-07-21/2023-07-22", False, ["the year 2023"]),
    ("On July 21-22, the forum was held", "2023-07-21/2023-07-22", True, []),
    ("from November 2020 to September 2023", "2020-11/2023-09", False, []),
    ("Nagorno-Karabakh: 1988-1992, territory 4400 km2", "1988/1992", False, []),
    ("the group, founded in 1992", "1992-03-24", False, ["the month March"]),
    ("The occupation of Kalbajar in early April 1993", "1993-04-02", False, ["the day 2 April"]),
    ("in May 1992", "1992-05", False, []),
    ("May 1992", "1992-05-19", False, ["the day 19 May"]),  # "19" of "1992" is not a day
])
def test_a_quote_must_state_the_date_at_its_precision(quote, date, has_basis, missing):
    assert missing_date_parts(quote, parse_date(date), has_basis) == missing


def test_quotes_are_found_verbatim_across_markup_and_line_breaks_at_word_boundaries():
    body = "First *emphasised* text\nover two lines.\n\n## Heading\n\nIn Iran, \\- a dash.\n"
    assert find_quote(body, "emphasised text over two lines.") == "p-1"
    assert find_quote(body, "In Iran, - a dash.") == "p-2"
    assert find_quote(body, "ran") is None
    assert find_quote(body, "Heading") is None  # headings are not paragraphs
    assert find_quote(body, "lines. In Iran") is None  # one paragraph, not two
    assert closest_passage(body, "In Irn, a dash") == "In Iran, - a dash."


def test_every_paragraph_gets_an_id_that_no_heading_can_take():
    body = render_markdown("One.\n\n## P 2\n\n- item\n- other\n\n> quoted\n\nNote[^1].\n\n[^1]: The note.\n", 5)
    assert [p.anchor for p in body.paragraphs] == ["p-1", "p-2", "p-3", "p-4", "p-5"]
    assert (body.paragraphs[0].first_line, body.paragraphs[0].end_line) == (5, 6)
    assert [h.anchor for h in body.headings] == ["section-p-2"]
    assert body.html.count('id="p-') == 5  # the footnote's paragraph is the archive's note, not numbered


def figures_of(page, selector: str):
    return page.cssselect(f"{selector} figure.event-quote")


def test_chronology_shows_each_quote_linked_to_its_paragraph(fixture_site):
    page = fixture_site.page("chronology/")
    [figure, speech] = figures_of(page, "#event-occupation-kalbajar")
    assert figure.cssselect("blockquote p")[0].text_content() == "Kalbajar: april 2, 1993, territory 3054 km2"
    link = figure.cssselect("figcaption a")[0]
    assert link.cssselect("cite")[0].text_content() == "The Occupation in Figures"
    assert link.text_content() == "The Occupation in Figures, paragraph 1"
    assert link.get("href") == figure.cssselect("blockquote")[0].get("cite") == "../articles/figures/index.html#p-1"
    article = fixture_site.page("articles/figures/")
    assert "Kalbajar: april 2, 1993" in article.get_element_by_id("p-1").text_content()
    assert speech.cssselect("a")[0].get("href") == "../articles/kalbajar-speech/index.html#p-1"


def test_date_basis_is_shown_with_its_quote(fixture_site):
    [figure] = figures_of(fixture_site.page("chronology/"), "#event-forum")
    basis = figure.cssselect(".date-basis")[0].text_content()
    assert basis == "The date also relies on: The year is not in the text; the test fixture assumes 2023."
    target = fixture_site.page("articles/forum-report/").get_element_by_id("p-2")
    assert target.text_content() == "On July 21-22, the media forum was held."


def test_territory_and_article_pages_show_the_quotes(fixture_site):
    territory = fixture_site.page("territories/shusha/")
    item = territory.cssselect("#territory-events + ul > li")[0]
    assert item.cssselect("blockquote p")[0].text_content() == "Shusha: may 08, 1992"
    href = item.cssselect("figcaption a")[0].get("href")
    assert href == "../../articles/figures/index.html#p-1"
    path = posixpath.normpath(posixpath.join("territories/shusha", href.split("#")[0]))
    assert fixture_site.page(path).get_element_by_id("p-1") is not None
    speech = fixture_site.page("articles/kalbajar-speech/")
    [figure] = figures_of(speech, "#archive-events + ul")
    link = figure.cssselect("figcaption a")[0]
    assert (link.get("href"), link.text_content()) == ("#p-1", "paragraph 1")  # its own page: no title repeated
    assert speech.get_element_by_id("p-1").text_content().startswith("The occupation of Kalbajar on 2 April 1993")
