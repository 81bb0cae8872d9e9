"""No silent change to a published text: articles against their originals in content/sources/."""

from __future__ import annotations

import random
from dataclasses import replace
from functools import cache

import pytest

from karabakh_site.content.load import load_content
from karabakh_site.content.model import Article, build_model
from karabakh_site.content.wordcheck import (
    ArticleText, WordDifference, check_articles, check_original, compare_with_original, markdown_words,
)

from conftest import PROJECT

SOURCES = PROJECT / "content" / "sources"


@cache
def shipped_articles() -> dict[str, Article]:
    raw, problems = load_content(PROJECT / "content")
    assert not problems
    site, problems = build_model(raw)
    assert not problems
    return {article.slug: article for article in site.articles}


def original_of(article: Article) -> str:
    return (SOURCES / article.original).read_text(encoding="utf-8")


def edits_of(article: Article) -> list[tuple[str, str]]:
    return [(edit.original, edit.replacement) for edit in article.edits]


def compare(article: Article, body: str | None = None, edits: list[tuple[str, str]] | None = None,
            title: str | None = None) -> list[WordDifference]:
    return compare_with_original(original_of(article), article.title if title is None else title,
                                 article.body if body is None else body,
                                 edits_of(article) if edits is None else edits, article.body_line)


def file_line(article: Article, text: str) -> int:
    """The line of the article's file on which ``text`` first occurs."""
    lines = (PROJECT / "content" / "articles" / f"{article.slug}.md").read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


# --- The shipped content ---------------------------------------------------------------------

def test_every_shipped_article_names_an_original_and_every_original_is_used():
    articles = shipped_articles()
    assert len(articles) == 6
    used = {article.original for article in articles.values()}
    assert used == {path.name for path in SOURCES.glob("*.txt")}


@pytest.mark.parametrize("slug", sorted(shipped_articles()))
def test_shipped_article_matches_its_original(slug):
    assert compare(shipped_articles()[slug]) == []


def test_all_shipped_articles_pass_the_whole_file_check():
    """Every word of every original is in an article or removed by a recorded edit."""
    originals = {path.name: path.read_text(encoding="utf-8") for path in SOURCES.glob("*.txt")}
    assert check_articles(shipped_articles().values(), originals).sorted() == []


def test_a_file_holding_two_articles_is_checked_as_one_text_in_file_order():
    figures, hajiyev = shipped_articles()["occupation-in-figures"], shipped_articles()["hajiyev-apa-statement"]
    texts = [ArticleText(a.slug, a.title, a.body, tuple(edits_of(a)), a.body_line) for a in (hajiyev, figures)]
    assert check_original(original_of(figures), texts) == {"hajiyev-apa-statement": [], "occupation-in-figures": []}


def test_one_article_of_a_shared_file_checks_against_its_own_part_only():
    figures = shipped_articles()["occupation-in-figures"]
    assert compare(figures) == []
    # Checked as the only article of its file, the Hajiyev report is text no article has.
    alone = check_original(original_of(figures), [ArticleText(figures.slug, figures.title, figures.body)])
    [missing] = alone["occupation-in-figures"]
    assert missing.kind == "missing"
    assert missing.original_words.startswith("Azerbaijan says it will never allow another Armenian state")
    assert missing.original_words.endswith("withdraw its troops from Nagorno-Karabakh.")
    assert missing.article_words == ""


# --- Differences are found and located ---------------------------------------------------------

def test_a_changed_word_is_reported_with_its_passage_and_line():
    article = shipped_articles()["hajiyev-apa-statement"]
    body = article.body.replace("Azerbaijan must be ensured", "Azerbaijan should be ensured")
    assert compare(article, body) == [WordDifference(
        kind="changed", original_words="must", article_words="should",
        context=("territorial integrity and sovereignty of Azerbaijan … "
                 "be ensured within its internationally recognized"),
        line=file_line(article, "Azerbaijan must be ensured"),
    )]


def test_an_unrecorded_removal_is_reported():
    article = shipped_articles()["aliyev-kalbajar-return-speech-2025"]
    sentence = "Not a single person abandoned the battlefield."
    body = article.body.replace(sentence + " ", "")
    assert compare(article, body) == [WordDifference(
        kind="missing", original_words=sentence, article_words="",
        context="We were moving forward every day. … There was not a single deserter.",
        line=file_line(article, "We were moving forward every day."),
    )]


def test_a_removed_last_paragraph_is_reported_by_the_whole_file_check():
    """One article's own check looks at its part of the file; the file check at all of it."""
    article = shipped_articles()["aliyev-shusha-media-forum-2025"]
    body = article.body.replace("The route would connect Azerbaijan with its exclave of Nakhchivan.", "")
    [difference] = check_original(original_of(article), [ArticleText("a", article.title, body)])["a"]
    assert (difference.kind, difference.original_words) == (
        "missing", "The route would connect Azerbaijan with its exclave of Nakhchivan.")


def test_added_words_are_reported():
    article = shipped_articles()["aliyev-kalbajar-return-speech-2025"]
    body = article.body.replace("welcome to Kalbajar!", "welcome home to Kalbajar!")
    [difference] = compare(article, body)
    assert (difference.kind, difference.original_words, difference.article_words) == ("added", "", "home")
    assert difference.line == file_line(article, "welcome to Kalbajar!")


def test_an_edit_whose_from_is_absent_is_reported():
    article = shipped_articles()["hajiyev-apa-statement"]
    edits = edits_of(article) + [("OSCEMinks", "OSCE Minsk")]
    assert compare(article, edits=edits) == [
        WordDifference("edit-not-found", "OSCEMinks", "OSCE Minsk", "", None)]


def test_an_unrecorded_repair_is_a_difference():
    article = shipped_articles()["aliyev-shusha-media-forum-2023"]
    [difference] = compare(article, edits=[])
    assert (difference.kind, difference.original_words, difference.article_words) == (
        "changed", "Therefore,the", "Therefore, the")


def test_a_headline_title_that_differs_from_the_original_is_reported():
    article = shipped_articles()["aliyev-aztv-interview-zangezur"]
    [difference] = check_original(original_of(article), [ArticleText(
        "a", "Aliyev: Moscow and Baku on the same positions", article.body, tuple(edits_of(article)))])["a"]
    assert difference.kind == "missing"
    assert difference.original_words == "Aliyev: Moscow and Baku on same positions regarding ‘Zangezur Corridor’"


# --- Edits, titles and markup ------------------------------------------------------------------

def test_markup_and_whitespace_are_not_differences():
    original = ("- Dear natives, welcome!\n\nZANGEZUR CORRIDOR\n\n\n\n"
                "The   route is 15 million tons * 2, see snake_case [1].\n")
    body = ("\n\\- Dear natives,\nwelcome!\n\n## ZANGEZUR CORRIDOR\n\n"
            "> The *route* is [15 million](https://example.org) **tons** \\* 2, see snake_case \\[1].\n")
    assert compare_with_original(original, "Archive title", body, []) == []


def test_markdown_words_come_from_the_parser_with_their_lines():
    body = "\n## A *b*c\n\n- [d](x) e\n  f\\_g\n\n[^1]\n\n[^1]: a note\n"
    assert markdown_words(body, 10) == [("A", 11), ("bc", 11), ("d", 13), ("e", 13), ("f_g", 14)]


def test_the_date_marker_is_not_part_of_the_text():
    original = " date 2025-07-19 Aliyev said this.\n\nMore.\n"
    assert compare_with_original(original, "Title", "Aliyev said this.\n\nMore.", []) == []
    [difference] = compare_with_original(original, "Title", "date 2025-07-19 Aliyev said this.\n\nMore.", [])
    assert (difference.kind, difference.article_words) == ("added", "date 2025-07-19")


def test_a_headline_is_used_as_the_title_or_the_title_is_the_archives():
    original = "The Headline\n\nFirst paragraph of the text.\n\nSecond paragraph here.\n"
    body = "First paragraph of the text.\n\nSecond paragraph here."
    assert compare_with_original(original, "The Headline", body, []) == []
    assert compare_with_original(original, "A title the archive wrote", body, [("The Headline", "")]) == []
    # The headline kept as the title, its first paragraph dropped: the file check says so.
    [difference] = check_original(original, [ArticleText("a", "The Headline", "Second paragraph here.")])["a"]
    assert (difference.kind, difference.original_words) == ("missing", "First paragraph of the text.")


def test_each_edit_repairs_one_occurrence():
    original = "Headline\n\nHeadline\n\nThe text.\n"
    assert compare_with_original(original, "Headline", "The text.", [("Headline", "")]) == []
    [difference] = check_original(original, [ArticleText("a", "Headline", "The text.")])["a"]
    assert (difference.kind, difference.original_words) == ("missing", "Headline")
    twice = check_original(original, [ArticleText("a", "Title", "The text.", (("Headline", ""), ("Headline", "")))])
    assert twice == {"a": []}
    thrice = (("Headline", ""),) * 3
    assert check_original(original, [ArticleText("a", "Title", "The text.", thrice)])["a"] == [
        WordDifference("edit-not-found", "Headline", "", "", None)]


def test_an_edit_may_differ_from_the_original_in_whitespace_only():
    original = "News\n\n14.11.2024 | 17:08\nA headline\nMore\n\nThe text.\n"
    removal = ("News\n14.11.2024  |  17:08 A headline\n  More", "")
    assert compare_with_original(original, "T", "The text.", [removal]) == []


def test_check_articles_reports_content_errors_with_file_and_line():
    article = shipped_articles()["hajiyev-apa-statement"]
    changed = replace(article, body=article.body.replace("Azerbaijan must be ensured", "Azerbaijan should be ensured"))
    problems = check_articles([changed, shipped_articles()["occupation-in-figures"]],
                              {article.original: original_of(article)})
    line = file_line(article, "Azerbaijan must be ensured")
    assert [str(error) for error in problems.sorted()] == [
        f"content/articles/hajiyev-apa-statement.md:{line}: text differs from 003_2606052e73648c79.txt: "
        "the original has 'must', the article 'should' (at: territorial integrity and sovereignty of "
        "Azerbaijan … be ensured within its internationally recognized) (restore the original's words, "
        "or record the change in 'edits' with 'from', 'to' and 'why')"
    ]


def test_a_long_text_is_compared_exactly_without_quadratic_time():
    """About 85,000 words (a 370 KB text); difflib alone took minutes on this."""
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(8000)]
    weights = [1 / (n + 1) for n in range(8000)]
    paragraphs = [" ".join(rng.choices(vocabulary, weights, k=rng.randint(20, 120))) for _ in range(1200)]
    body = paragraphs[:]
    body[700] = "changed " + body[700].split(" ", 1)[1]
    dropped = body.pop(900)
    found = check_original("\n\n".join(paragraphs), [ArticleText("a", "Title", "\n\n".join(body))])["a"]
    assert [(d.kind, d.original_words, d.article_words) for d in found] == [
        ("changed", paragraphs[700].split(" ", 1)[0], "changed"), ("missing", dropped, "")]
