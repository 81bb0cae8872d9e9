"""Nothing unfinished is published (#14): drafts stay out of `build`, placeholders are errors.

Each refused case builds over a previous good output and checks it is byte-for-byte
unchanged (the pattern of test_bad_input.py); the draft's absence is checked in every
output file, each parsed as what it is (HTML, XML, JSON, CSV).
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from karabakh_site.commands.build import build
from karabakh_site.commands.cli import main
from karabakh_site.commands.importer import import_files
from karabakh_site.commands.newdoc import new_document

from conftest import PROJECT, options_for
from test_bad_input import article, good_build, previous, refused  # noqa: F401 (fixtures)

HINT = "or keep 'draft: true' until it is done"
MARKER = "Zyxwvut"
"""A word only the draft holds: its title, tag, speaker and body, to search every output for."""
DRAFT = f"""\
---
draft: true
title: "{MARKER} draft report"
date: "2025-07-20"
source: {{name: "{MARKER} Outlet"}}
speakers: ["{MARKER} Speaker"]
tags: ["{MARKER} tag"]
territories: [shusha]
summary: "The draft says {MARKER} things."
---
A {MARKER} text that names Shusha.
"""
DRAFT_PAGE = f"---\ndraft: true\ntitle: {MARKER} page\n---\nA {MARKER} page.\n"


def without_draft_line(path: Path) -> None:
    """Delete the ``draft: true`` line `new` and `import` write, as an editor publishing it would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^draft: true.*\n", "", text, count=1), encoding="utf-8")


# --- Placeholders outside a draft --------------------------------------------------------------

def test_an_untouched_new_article_without_draft_is_refused_at_each_placeholder(make_site, previous):
    root = make_site()
    path = new_document(root, "article", "Шуша Շուշի")
    assert path.name == "shusha-shushi.md"
    without_draft_line(path)
    where = "SITE/articles/shusha-shushi.md"
    assert refused(root, previous) == [
        f"{where}:5:1: 'type' is empty (give its value or delete the key, {HINT})",
        f"{where}:10:1: 'date_note' is empty (give its value or delete the key, {HINT})",
        f"{where}:12: 'source.name' is empty (give its value or delete the key, {HINT})",
        f"{where}:13: 'source.via' is empty (give its value or delete the key, {HINT})",
        f"{where}:14: 'source.url' is empty (give its value or delete the key, {HINT})",
        f"{where}:15:10: 'source.note' still holds a TODO placeholder: 'TODO: name the outlet, or say why it is "
        f"unknown' (write the real value, {HINT})",
        f"{where}:16:1: 'original' is empty (give its value or delete the key, {HINT})",
        f"{where}:20:1: 'summary' is empty (give its value or delete the key, {HINT})",
    ]


def test_an_untouched_new_page_without_draft_is_refused(make_site, previous):
    root = make_site()
    without_draft_line(new_document(root, "page", "Methodology"))
    assert refused(root, previous) == [
        f"SITE/pages/methodology.md:4:1: 'summary' is empty (give its value or delete the key, {HINT})"]


def test_an_untouched_import_without_draft_is_refused(make_site, previous, tmp_path):
    root = make_site()
    (root / "sources").mkdir()
    raw = root / "sources" / "raw.txt"
    raw.write_text(" date 2025-07-19 Aliyev said this. And that.\n\nMore text.\n", encoding="utf-8")
    [result] = import_files(root, [raw])
    without_draft_line(result.path)
    where = "SITE/articles/aliyev-said-this.md"
    assert refused(root, previous) == [
        f"{where}:3:1: 'todo' still lists 4 things an editor must do before the document is published "
        f"(do each, then delete the 'todo' list, {HINT})",
        f"{where}:10: the title was written by import from the text's first sentence and has not been "
        f"confirmed (check the title, then delete 'title_confirmed: false', {HINT})",
        f"{where}:13:10: 'source.note' still holds a TODO placeholder: 'TODO: name the outlet, or say why it is "
        f"unknown' (write the real value, {HINT})",
    ]


def test_a_todo_anywhere_in_the_front_matter_is_refused(make_site, previous):
    root = make_site({"articles/one.md": article('tags: [Shusha, "TODO tag"]\nedits:\n'
                                                 '  - {from: "Body.", to: "Body!", why: "TODO: say why"}\n')})
    assert refused(root, previous) == [
        f"SITE/articles/one.md:4:17: 'tags[2]' still holds a TODO placeholder: 'TODO tag' (write the real value, {HINT})",
        f"SITE/articles/one.md:6:40: 'edits[1].why' still holds a TODO placeholder: 'TODO: say why' "
        f"(write the real value, {HINT})",
    ]


def test_an_emptied_todo_list_is_still_refused(make_site, previous):
    root = make_site({"articles/one.md": article("todo: []\n")})
    assert refused(root, previous) == [
        f"SITE/articles/one.md:4:1: 'todo' is left before the document is published "
        f"(do each, then delete the 'todo' list, {HINT})"]


@pytest.mark.parametrize("value, shown", [('"yes"', "a single text"), ("1", "the number 1"), ("[]", "a list")])
def test_draft_must_be_true_or_false(make_site, previous, value, shown):
    root = make_site({"articles/one.md": article(f"draft: {value}\n")})
    assert refused(root, previous) == [
        f"SITE/articles/one.md:4:8: 'draft' must be true or false, not {shown} "
        "(write draft: true or draft: false, without quotes)"]


def test_an_event_citing_a_draft_is_refused_unless_drafts_are_built(make_site, previous, tmp_path):
    root = make_site({"articles/source-of-events.md": "---\ndraft: true\ntitle: Source of events\n"
                                                      "source:\n  note: A test text.\n---\nDated May 8, 1992.\n"})
    assert refused(root, previous) == [
        "SITE/chronology.yaml:12:25: event 'occupation-shusha' cites article 'source-of-events', which is a draft "
        "('draft: true' in SITE/articles/source-of-events.md) (publish the article first (delete 'draft: true'), "
        "or cite a published one; `build --drafts` previews drafts)"]
    build(options_for(root, tmp_path / "preview", drafts=True))
    assert (tmp_path / "preview" / "articles" / "source-of-events" / "index.html").is_file()


def test_a_draft_keeps_its_placeholders_and_check_passes_with_and_without_drafts(make_site, capsys):
    root = make_site()
    new_document(root, "article", "Unfinished")
    common = ["--content", str(root), "--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static"),
              "--no-cache", "-q"]
    assert main(["check", *common]) == 0
    assert main(["check", "--drafts", *common]) == 0
    assert capsys.readouterr().err == ""


# --- Drafts are left out of every output of `build` ---------------------------------------------

@pytest.fixture
def site_with_draft(make_site):
    return make_site({"articles/zz-draft.md": DRAFT, "pages/zz-draft-page.md": DRAFT_PAGE})


def strings_of(path: Path) -> list[str]:
    """Every text and attribute value of an output file, read as what the file is."""
    data = path.read_bytes()
    if path.suffix == ".html":
        tree = lxml.html.fromstring(data)
        return [*tree.itertext(), *(value for element in tree.iter() for value in element.attrib.values())]
    if path.suffix == ".xml":
        tree = lxml.etree.fromstring(data)
        return [*tree.itertext(), *(value for element in tree.iter() for value in element.attrib.values())]
    if path.suffix == ".json":
        return list(_json_strings(json.loads(data)))
    if path.suffix == ".csv":
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]
    return [data.decode("utf-8", errors="replace")]  # text files: robots.txt, originals, scripts


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def leaks_in(out: Path) -> dict[str, int]:
    """How many texts of each output file name the draft (its marker word or its slug)."""
    files = sorted(path for path in out.rglob("*") if path.is_file())
    assert {"sitemap.xml", "feed.xml", "articles.json", "chronology.json", "chronology.csv"} <= {p.name for p in files}
    counts = {str(path.relative_to(out)): sum(1 for s in strings_of(path) if MARKER.lower() in s.lower()
                                              or "zz-draft" in s) for path in files}
    return {name: count for name, count in counts.items() if count}


def test_a_draft_is_in_no_output_file_of_build(site_with_draft, tmp_path):
    out, cache = tmp_path / "build", tmp_path / ".cache"
    build(options_for(site_with_draft, out, drafts=True, cache_dir=cache))
    seen = leaks_in(out)  # the scan finds the draft where it is built
    assert {"sitemap.xml", "feed.xml", "data/articles.json", "tags/index.html",
            "territories/shusha/index.html"} <= set(seen)
    build(options_for(site_with_draft, out, cache_dir=cache))  # same folder and cache: nothing stale stays
    assert leaks_in(out) == {}
    assert not (out / "articles" / "zz-draft").exists() and not (out / "zz-draft-page").exists()
    territory = lxml.html.fromstring((out / "territories" / "shusha" / "index.html").read_bytes())
    assert territory.cssselect("a[href*='zz-draft']") == []


def test_a_draft_is_built_with_its_banner_by_build_drafts(site_with_draft, tmp_path):
    out = tmp_path / "build"
    build(options_for(site_with_draft, out, drafts=True))
    page = lxml.html.fromstring((out / "articles" / "zz-draft" / "index.html").read_bytes())
    [banner] = page.cssselect("article.document > p.draft-banner")
    assert banner.get("role") == "note"
    assert banner.cssselect("strong")[0].text_content() == "Draft"
    assert banner.text_content().startswith("Draft Not published: this document is a draft")
    assert page.cssselect("meta[name=robots]")[0].get("content") == "noindex"
    plain = lxml.html.fromstring((out / "zz-draft-page" / "index.html").read_bytes())
    assert len(plain.cssselect("p.draft-banner")) == 1
    published = lxml.html.fromstring((out / "articles" / "one" / "index.html").read_bytes())
    assert published.cssselect("p.draft-banner, meta[name=robots]") == []
    listed = lxml.html.fromstring((out / "articles" / "index.html").read_bytes())
    assert listed.cssselect("a[href$='zz-draft/index.html']")


def test_serve_builds_drafts_by_default_and_build_and_check_do_not():
    from karabakh_site.commands.cli import _options, make_parser

    def drafts(*argv):
        return _options(make_parser().parse_args(list(argv))).drafts

    assert (drafts("serve"), drafts("serve", "--no-drafts")) == (True, False)
    assert (drafts("build"), drafts("build", "--drafts"), drafts("check"), drafts("check", "--drafts")) == (
        False, True, False, True)


# --- No page without an original says "reproduced as published" --------------------------------

AS_PUBLISHED = re.compile(r"(reproduced|reproduces[^.]*) as (it was |they were )?published", re.IGNORECASE)


def test_a_page_without_an_original_never_says_reproduced_as_published(make_site, tmp_path):
    root = make_site()
    (root / "sources").mkdir()
    (root / "sources" / "one.txt").write_text("Two\n\nBody of two.\n", encoding="utf-8")
    (root / "articles" / "two.md").write_text(textwrap.dedent("""\
        ---
        title: Two
        source: {name: Outlet}
        original: one.txt
        ---
        Body of two.
        """), encoding="utf-8")
    out = tmp_path / "build"
    build(options_for(root, out))
    without = lxml.html.fromstring((out / "articles" / "one" / "index.html").read_bytes())
    assert [text for text in without.itertext() if AS_PUBLISHED.search(text)] == []
    [section] = without.cssselect("section[aria-labelledby=archive-edits]")
    assert section.cssselect("p")[0].text_content() == (
        "The archive keeps no original of this text, so its words cannot be checked against one.")
    with_original = lxml.html.fromstring((out / "articles" / "two" / "index.html").read_bytes())
    [section] = with_original.cssselect("section[aria-labelledby=archive-edits]")
    assert section.cssselect("p")[0].text_content() == "None: the text is reproduced as published."
