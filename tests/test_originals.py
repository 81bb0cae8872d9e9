"""Readers can check the edits themselves: the originals as received, and each compare view (#12)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import lxml.html
import pytest

from karabakh_site.commands.build import build
from karabakh_site.commands.serve import PreviewState, start_server

from conftest import PROJECT, options_for

ORIGINAL = "One\n\nBody of 0ne, with a fault.\n\nRead more: other headlines\n"
ARTICLE = """\
    ---
    title: One
    date: "2025-07-19"
    source:
      name: Outlet
    original: one.txt
    edits:
      - from: "0ne"
        to: "one"
        why: "The extraction read the letter o as a zero."
      - from: "Read more: other headlines"
        to: ""
        why: "Links of the page around the text, not part of it."
    ---
    Body of one, with a fault.
    """


@pytest.fixture
def edited_site(make_site, tmp_path) -> Path:
    root = make_site({"articles/one.md": ARTICLE, "sources/one.txt": ORIGINAL.encode("utf-8")})
    out = tmp_path / "build"
    build(options_for(root, out))
    return out


def parse(out: Path, path: str):
    return lxml.html.fromstring((out / path).read_bytes())


def test_the_original_is_published_byte_for_byte(edited_site):
    assert (edited_site / "originals" / "one.txt").read_bytes() == ORIGINAL.encode("utf-8")
    view = parse(edited_site, "originals/one/index.html")
    assert view.cssselect(".original-text")[0].text_content() == ORIGINAL
    assert [a.text_content() for a in view.cssselect("main ul a")] == ["One"]


def test_the_article_links_its_original_and_its_compare_view(edited_site):
    article = parse(edited_site, "articles/one/index.html")
    hrefs = {a.get("href") for a in article.cssselect("#archive-edits ~ p a, section[aria-labelledby=archive-edits] a")}
    assert {"../../originals/one/index.html", "../../originals/one.txt", "compare/index.html"} <= hrefs


def test_the_compare_view_shows_every_edit_in_place_with_its_reason(edited_site):
    view = parse(edited_site, "articles/one/compare/index.html")
    text = view.cssselect(".compare-text")[0]
    edits = text.cssselect(".edit")
    assert [e.get("id") for e in edits] == ["change-1", "change-2"]
    removed = [d.text_content().removeprefix("removed: ") for d in text.cssselect("del")]
    added = [i.text_content().removeprefix("added: ") for i in text.cssselect("ins")]
    assert removed == ["0ne", "Read more: other headlines"] and added == ["one"]
    assert [w.text_content() for w in text.cssselect(".edit-why")] == [
        "The extraction read the letter o as a zero.", "Links of the page around the text, not part of it."]
    # Unchanged text plus each edit's replacement is the article's text: nothing is hidden.
    for label in text.cssselect(".edit-label, del"):
        label.drop_tree()
    assert " ".join(text.text_content().replace("added: ", "").split()) == "One Body of one, with a fault."


def test_an_article_without_an_original_never_claims_to_reproduce_one(make_site, tmp_path):
    out = tmp_path / "build"
    build(options_for(make_site(), out))
    section = parse(out, "articles/one/index.html").cssselect("section[aria-labelledby=archive-edits]")[0]
    words = " ".join(section.text_content().split())
    assert "keeps no original" in words and "reproduced as published" not in words
    assert not (out / "articles" / "one" / "compare").exists()


def test_every_shipped_original_is_published_and_listed(real_site):
    sources = sorted(p.name for p in (PROJECT / "content" / "sources").glob("*.txt"))
    assert len(sources) == 5
    for name in sources:
        assert (real_site.out / "originals" / name).read_bytes() == (PROJECT / "content" / "sources" / name).read_bytes()
    listed = [code.text_content() for code in real_site.page("originals/").cssselect("main h2 code")]
    assert listed == sources
    footer = real_site.page("").cssselect("footer a")
    assert "originals/index.html" in {a.get("href") for a in footer}
    for article in real_site.report.linked.site.articles:
        compare = real_site.page(f"articles/{article.slug}/compare/")
        assert len(compare.cssselect(".compare-text .edit")) == len(article.edits)


def test_originals_are_served_as_utf8_text_by_the_preview_server(edited_site):
    server = start_server(edited_site, 0, PreviewState())
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/originals/one.txt"
        with urllib.request.urlopen(url) as response:
            assert response.headers.get_content_type() == "text/plain"
            assert response.headers.get_content_charset() == "utf-8"
            assert response.read().decode("utf-8") == ORIGINAL
    finally:
        server.shutdown()
        server.server_close()
