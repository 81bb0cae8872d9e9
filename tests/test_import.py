"""`import`: raw texts become draft articles with exactly the original's words."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from karabakh_site.commands.build import prepare_site
from karabakh_site.commands.importer import (
    FLAG_DATE, FLAG_DEBRIS, FLAG_FILL_IN, FLAG_NOT_A_SOURCE, FLAG_SOURCE, FLAG_WRITTEN_TITLE,
    TODO_COMMENT, escape_line, format_body, import_files, import_text,
)
from karabakh_site.content.load import load_content
from karabakh_site.text.markdown import create_parser
from karabakh_site.content.model import build_model
from karabakh_site.content.wordcheck import ArticleText, check_original, markdown_text, markdown_words, strip_date_marker

from conftest import PROJECT, options_for

SOURCES = PROJECT / "content" / "sources"
ORIGINALS = sorted(path.name for path in SOURCES.glob("*.txt"))


def imported(name: str):
    path = SOURCES / name
    return import_text(path, path.read_text(encoding="utf-8"), name)


def imported_words(draft) -> list[str]:
    title = draft.title.split() if draft.title_is_headline else []
    return title + [word for word, _line in markdown_words(draft.body)]


def shipped_by_original() -> dict[str, list]:
    raw, problems = load_content(PROJECT / "content")
    site, problems = build_model(raw)
    assert site is not None, problems.sorted()
    groups: dict[str, list] = {}
    for article in site.articles:
        groups.setdefault(article.original, []).append(article)
    return groups


# --- The five originals ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ORIGINALS)
def test_import_keeps_exactly_the_words_of_the_original(name):
    text = (SOURCES / name).read_text(encoding="utf-8")
    assert imported_words(imported(name)) == strip_date_marker(text)[1].split()


@pytest.mark.parametrize("name", ORIGINALS)
def test_the_shipped_articles_are_the_import_with_their_recorded_edits(name):
    """Apply each shipped article's edits to the imported text: the words must be the article's.

    The imported draft, as plain text (its title first when it is the text's headline), is
    compared with all the shipped articles made from the file, in file order; every word must
    be accounted for, in both directions.
    """
    draft = imported(name)
    plain = (draft.title + "\n\n" if draft.title_is_headline else "") + markdown_text(draft.body)
    articles = [ArticleText(a.slug, a.title, a.body, tuple((e.original, e.replacement) for e in a.edits),
                            a.body_line) for a in shipped_by_original()[name]]
    assert articles, f"no shipped article is made from {name}"
    assert check_original(plain, articles) == {article.key: [] for article in articles}


EXPECTED_DRAFTS = {
    "000_d2d267d8cafc1f86.txt": (
        'Azerbaijani President Ilham Aliyev on Saturday urged the Ukrainians to "never accept occupation."',
        "2025-07-19", (FLAG_SOURCE, FLAG_WRITTEN_TITLE, FLAG_FILL_IN, FLAG_DEBRIS)),
    "001_101b87d8289ca109.txt": (
        "Aliyev: Moscow and Baku on same positions regarding ‘Zangezur Corridor’",
        None, (FLAG_SOURCE, FLAG_DATE, FLAG_FILL_IN, FLAG_DEBRIS)),
    "002_0dbd30f75ab8431c.txt": (
        "Aliyev on the situation with Karabakh Armenians",
        "2023-07-23", (FLAG_SOURCE, FLAG_FILL_IN, FLAG_DEBRIS)),
    "003_2606052e73648c79.txt": (
        "The Occupation in Figures", None, (FLAG_SOURCE, FLAG_DATE, FLAG_FILL_IN, FLAG_DEBRIS)),
    "004_a1c2208b58152176.txt": (
        "The head of state delivered a speech at the meeting, News.Az reports, citing AZERTAC.",
        "2025-08-21", (FLAG_SOURCE, FLAG_WRITTEN_TITLE, FLAG_FILL_IN, FLAG_DEBRIS)),
}


@pytest.mark.parametrize("name", ORIGINALS)
def test_title_date_and_flags_of_each_original(name):
    draft = imported(name)
    assert (draft.title, draft.date, draft.flags) == EXPECTED_DRAFTS[name]
    assert draft.original == name


def test_the_body_is_escaped_only_where_markdown_would_read_markup():
    body = imported("004_a1c2208b58152176.txt").body
    assert body.split("\n\n")[1] == "\\- Dear natives of Kalbajar, welcome to Kalbajar!"
    assert "\\" not in imported("002_0dbd30f75ab8431c.txt").body
    assert imported("001_101b87d8289ca109.txt").body.split("\n")[2] == "14.11.2024 | 17:08"


# --- Text shapes ------------------------------------------------------------------------------

def test_paragraphs_blank_runs_and_trailing_whitespace():
    draft = import_text(Path("x.txt"), "Short headline\n\n\n\nOne line.  \nSame paragraph.\t\n \n\xa0\nNext.\n\n")
    assert draft.title == "Short headline"
    assert draft.body == "One line.\nSame paragraph.\n\nNext."


def test_a_date_line_whose_first_line_is_a_sentence():
    draft = import_text(Path("x.txt"), " date 2025-07-19 Aliyev said this. And that.\n\nMore text.\n")
    assert (draft.title, draft.date, draft.title_is_headline) == ("Aliyev said this.", "2025-07-19", False)
    assert draft.body == "Aliyev said this. And that.\n\nMore text."


def test_a_long_first_sentence_is_cut_at_a_word_for_the_title():
    sentence = "Word " * 40 + "end."
    draft = import_text(Path("x.txt"), sentence + "\n")
    assert draft.title == ("Word " * 20).strip() + " …"
    assert FLAG_WRITTEN_TITLE in draft.flags


def test_an_impossible_date_line_is_flagged_and_left_out():
    draft = import_text(Path("x.txt"), " date 2023-02-30 Text.\n")
    assert draft.date is None
    assert draft.flags[:3] == (FLAG_SOURCE, "date: the date line's '2023-02-30' is not a real date; check the original",
                               FLAG_DATE)


@pytest.mark.parametrize("text", ["", " \n\n", " date 2025-07-19 \n\n"])
def test_a_text_with_no_words_is_refused(text):
    with pytest.raises(ValueError, match="^x.txt: no text to import$"):
        import_text(Path("x.txt"), text)


def test_bom_and_crlf_are_accepted():
    draft = import_text(Path("x.txt"), "\ufeffHeadline\r\n\r\nText one.\r\nText two.\r\n")
    assert (draft.title, draft.body) == ("Headline", "Text one.\nText two.")


TRICKY_LINES = [
    "- a dash", "+ plus", "* star", "-", "--- ", "***", "___", "- - -", "===", "# heading", "###### six",
    "####### seven", "#hashtag", "> quote", "1. one", "12) twelve", "1234567890. ten digits", "14.11.2024 | 17:08",
    "| a | b |", "|---|---|", "--- | ---", ":--|--:", "```", "~~~ fence", "    indented code",
    "a *b* c", "a **b** c", "snake_case and _under_ and __x__", "a `code` b", "[link](http://x)", "![img](x.png)",
    "[^1]: note", "text[^1]", "^[inline note]", "<http://example.org>", "<a@b.co>", "<$a@b.co>", "<!-- c -->",
    "<b>bold</b>", "a < b > c",
    "&amp; &copy; &#123; & AT&T", "back\\slash \\* \\", "ends with backslash\\", "trailing spaces  ",
    "[ref]: /url", "\\", "1.5 million", "— dash", "• bullet",
    "Ղարաբաղ: «քաղաք»", "Kəlbəcər — Шуша",
]


@pytest.mark.parametrize("line", TRICKY_LINES)
def test_an_escaped_line_renders_as_exactly_its_text(line):
    assert _plain_paragraphs(format_body(["", line, ""])) == [line.strip()]


def test_random_lines_of_markup_characters_render_as_their_text():
    alphabet = list("-+*#>|:=_`~[]()!<>&;\\/.)1 aZə$@{}\t") + [
        "1.", "http://x", "&amp;", "&#x41;", "^[", "[^1]", "](", "]:", "a@b.co", "<!--", "|-|", "***", "    "]
    rng = random.Random(20250719)
    for _ in range(2000):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))).strip() for _ in range(3)]
        lines = [line for line in lines if line]
        if lines:
            assert _plain_paragraphs(format_body(lines)) == ["\n".join(lines)], lines


def _plain_paragraphs(markdown: str) -> list[str]:
    """The text of each paragraph, asserting the Markdown made nothing but plain paragraphs."""
    tokens = create_parser().parse(markdown, {})
    assert {token.type for token in tokens} <= {"paragraph_open", "inline", "paragraph_close"}, markdown
    texts = []
    for token in tokens:
        if token.type == "inline":
            assert {child.type for child in token.children} <= {"text", "softbreak"}, markdown
            texts.append("".join("\n" if child.type == "softbreak" else child.content for child in token.children))
    return texts


def test_escape_line_leaves_ordinary_text_alone():
    text = "Aliyev: Moscow and Baku on same positions regarding ‘Zangezur Corridor’ (2020), 15% - ok!"
    assert escape_line(text) == text


# --- Writing files -----------------------------------------------------------------------------

@pytest.fixture
def site_with_sources(make_site):
    site = make_site()
    shutil.copytree(SOURCES, site / "sources")
    return site


def test_import_files_writes_drafts_that_build(site_with_sources, tmp_path):
    paths = [site_with_sources / "sources" / name for name in ("001_101b87d8289ca109.txt", "003_2606052e73648c79.txt")]
    results = import_files(site_with_sources, paths)
    assert [(r.source, r.path, r.flags) for r in results] == [
        (paths[0], site_with_sources / "articles" / "aliyev-moscow-and-baku-on-same-positions-regarding-zangezur.md",
         EXPECTED_DRAFTS[paths[0].name][2]),
        (paths[1], site_with_sources / "articles" / "the-occupation-in-figures.md", EXPECTED_DRAFTS[paths[1].name][2]),
    ]
    report = prepare_site(options_for(site_with_sources, tmp_path / "out", drafts=True))
    article = next(a for a in report.linked.site.articles if a.slug == "the-occupation-in-figures")
    assert (article.title, article.date, article.original, article.draft) == (
        "The Occupation in Figures", None, "003_2606052e73648c79.txt", True)
    assert article.source.note.startswith("TODO:")
    published = prepare_site(options_for(site_with_sources, tmp_path / "out"))  # drafts are left out (#14)
    assert [a.slug for a in published.linked.site.articles] == ["one", "source-of-events"]


def test_the_written_file_lists_what_needs_an_editor(site_with_sources):
    [result] = import_files(site_with_sources, [site_with_sources / "sources" / "000_d2d267d8cafc1f86.txt"])
    text = result.path.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    comments = [line for line in front.splitlines() if line.startswith("#")]
    assert comments == [TODO_COMMENT]
    assert yaml.safe_load(front) == {
        "draft": True, "todo": list(EXPECTED_DRAFTS["000_d2d267d8cafc1f86.txt"][2]),
        "title": 'Azerbaijani President Ilham Aliyev on Saturday urged the Ukrainians to "never accept occupation."',
        "title_by": "archive", "title_confirmed": False, "date": "2025-07-19",
        "source": {"note": "TODO: name the outlet, or say why it is unknown"},
        "original": "000_d2d267d8cafc1f86.txt", "speakers": [], "tags": [], "territories": [], "edits": [],
    }


def test_a_file_outside_sources_gets_no_original(make_site, tmp_path):
    site = make_site()
    raw = tmp_path / "raw.txt"
    raw.write_text("Headline: with a colon and \"quotes\"\n\nThe text.\n", encoding="utf-8")
    [result] = import_files(site, [raw])
    assert result.path == site / "articles" / "headline-with-a-colon-and-quotes.md"
    assert FLAG_NOT_A_SOURCE in result.flags
    assert "original" not in yaml.safe_load(result.path.read_text(encoding="utf-8").split("---\n")[1])
    prepare_site(options_for(site, tmp_path / "out", drafts=True))


def test_import_refuses_to_overwrite_and_writes_nothing(site_with_sources):
    sources = site_with_sources / "sources"
    first = import_files(site_with_sources, [sources / "002_0dbd30f75ab8431c.txt"])[0].path
    before = first.read_bytes()
    with pytest.raises(FileExistsError, match="aliyev-on-the-situation-with-karabakh-armenians.md already exists"):
        import_files(site_with_sources, [sources / "004_a1c2208b58152176.txt", sources / "002_0dbd30f75ab8431c.txt"])
    assert first.read_bytes() == before
    assert sorted(p.name for p in (site_with_sources / "articles").iterdir()) == [
        "aliyev-on-the-situation-with-karabakh-armenians.md", "one.md", "source-of-events.md"]


def test_two_texts_with_one_title_are_refused(make_site, tmp_path):
    site = make_site()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Same headline\n\nText.\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="would both be written to"):
        import_files(site, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert not (site / "articles" / "same-headline.md").exists()


def test_a_file_that_is_not_utf8_is_refused(make_site, tmp_path):
    raw = tmp_path / "latin1.txt"
    raw.write_bytes("Kəlbəcər".encode("utf-8")[:2] + b"\xe9t\xe9\n")
    with pytest.raises(ValueError, match="not UTF-8 text"):
        import_files(make_site(), [raw])


def test_the_articles_folder_is_created(make_site, tmp_path):
    site = make_site({"articles/one.md": None, "chronology.yaml": "territories: []\nevents: []\n"})
    raw = tmp_path / "raw.txt"
    raw.write_text("Kəlbəcər qayıdış\n\nMətn.\n", encoding="utf-8")
    [result] = import_files(site, [raw])
    assert result.path == site / "articles" / "kelbecer-qayidis.md"
