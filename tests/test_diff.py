"""`karabakh-site diff` (#17): what a change to the content does to the built site.

Each pair is the sample site (tests/fixtures/site) as the base and a copy with one editor's
change as the head, both built with the project's build function; the Markdown summary must
name the right pages, words and figures.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from karabakh_site.commands.build import build
from karabakh_site.commands.cli import main
from karabakh_site.commands.sitediff import compare_builds, kind_of

from conftest import FIXTURE_SITE, PROJECT, options_for

TYPO = "Roads to Kalbajar, Lachin and Fuzuli are bieng built."
FIXED = "Roads to Kalbajar, Lachin and Fuzuli are being built."
EDIT = '  - from: "bieng"\n    to: "being"\n    why: Typo in the captured text.\n'
NEW_EVENT = """\
  - id: occupation-kalbajar-speech
    date: "1993-04-02"
    title: "Kalbajar: date of “occupation” given in the speech in Kalbajar"
    kind: other
    territories: [kalbajar]
    sources: [{article: kalbajar-speech, quote: "The occupation of Kalbajar on 2 April 1993"}]
"""


def base_content(folder: Path) -> Path:
    """The sample site with a typo in the Kalbajar speech (the typo pair's base; the others' too).

    In ``folder/content``, as in a checkout: the "edit this page" links name the content's path.
    """
    root = folder / "content"
    shutil.copytree(FIXTURE_SITE, root)
    speech = root / "articles" / "kalbajar-speech.md"
    speech.write_text(speech.read_text().replace(FIXED, TYPO))
    assert TYPO in speech.read_text()
    return root


def edited(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def fix_typo(root: Path) -> None:
    speech = root / "articles" / "kalbajar-speech.md"
    edited(speech, TYPO, FIXED)
    edited(speech, "    why: Extraction fault.\n", "    why: Extraction fault.\n" + EDIT)


def add_event(root: Path) -> None:
    edited(root / "chronology.yaml", "  - id: ceasefire\n", NEW_EVENT + "  - id: ceasefire\n")


def rename_territory(root: Path) -> None:
    edited(root / "chronology.yaml", "    name: Fizuli\n    aliases: [Fuzuli]\n    area_km2: 1390\n",
           "    name: Fuzuli\n    aliases: [Fizuli]\n    area_km2: 1400\n")


CHANGES = {"typo": fix_typo, "event": add_event, "rename": rename_territory}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Folder of the base build and of one head build per change, built once for the module."""
    root = tmp_path_factory.mktemp("pairs")
    base = base_content(root / "base")
    build(options_for(base, root / "build-base"))
    heads = {}
    for name, change in CHANGES.items():
        head = base_content(root / name)
        change(head)
        build(options_for(head, root / f"build-{name}"))
        heads[name] = root / f"build-{name}"
    return root / "build-base", heads


def markdown_of(old: Path, new: Path, capsys) -> str:
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    return capsys.readouterr().out


def rendered(markdown: str):
    """The summary as GitHub would show it (CommonMark with strikethrough and tables), parsed."""
    from markdown_it import MarkdownIt
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    return lxml.html.fragment_fromstring(html, create_parent="div")


def section(tree, title: str):
    """The list items under the h3 whose text starts with ``title``."""
    heading = [h for h in tree.iter("h3") if h.text_content().startswith(title)]
    assert heading, title
    following = heading[0].getnext()
    return following


def test_two_builds_of_the_same_input_differ_only_in_pagefind(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(options_for(FIXTURE_SITE, first, search=True))
    build(options_for(FIXTURE_SITE, second, search=True))
    diff = compare_builds(first, second)
    assert diff.is_empty and diff.compared > 30
    files = {p.relative_to(root) for root in (first, second) for p in root.rglob("*") if p.is_file()}
    differing = [path for path in files if not (first / path).is_file() or not (second / path).is_file()
                 or (first / path).read_bytes() != (second / path).read_bytes()]
    assert differing and all(path.parts[0] == "pagefind" for path in differing)


def test_a_fixed_typo_is_one_changed_word_and_one_recorded_edit(builds, capsys):
    base, heads = builds
    tree = rendered(markdown_of(base, heads["typo"], capsys))
    documents = section(tree, "Documents")
    items = {li.xpath("./code")[0].text: li for li in documents.xpath("./li")}
    article = items["articles/kalbajar-speech/"]
    assert article.xpath("./strong")[0].text == "changed"
    changes = [li.text_content() for li in article.xpath("./ul/li")]
    typo = [c for c in changes if "bieng" in c]
    assert typo[0] == "… Lachin and Fuzuli are bieng being built. Road Length Ganja– …"  # then the edits table row
    typo_item = [li for li in article.xpath("./ul/li") if "bieng" in li.text_content()][0]
    assert typo_item.xpath("./s/text()|./del/text()") == ["bieng"] and typo_item.xpath("./strong/text()") == ["being"]
    assert "Recorded edit added: “bieng” → being — Typo in the captured text." in changes
    assert not tree.xpath("//h3[starts-with(., 'Figures')]")  # no figure changed
    # The pages of the territories the sentence names quote it: they change too, and no other page does.
    diff = compare_builds(base, heads["typo"])
    visible = {c.path for c in diff.files if c.status == "changed" and c.is_page}
    assert visible == {"articles/kalbajar-speech/index.html", "territories/kalbajar/index.html",
                       "territories/fizuli/index.html"}
    assert {c.path for c in diff.files if not c.is_page} == {"feed.xml", "data/articles.json"}  # the body, the edits


def test_an_added_event_lists_its_pages_and_figures(builds, capsys):
    base, heads = builds
    markdown = markdown_of(base, heads["event"], capsys)
    tree = rendered(markdown)
    rows = [[cell.text_content() for cell in row.xpath("./td")] for row in tree.xpath("//table/tbody/tr")]
    assert rows == [
        ["Event occupation-kalbajar-speech (Kalbajar: date of “occupation” given in the speech in Kalbajar): added",
         "—", "1993-04-02"],
        ["Dated events", "4", "5"],
    ]
    chronology = [li.xpath("./code")[0].text for li in section(tree, "Chronology").xpath("./li")]
    assert chronology == ["chronology/", "chronology/kind/other/"]
    territories = [li.xpath("./code")[0].text for li in section(tree, "Territories").xpath("./li")]
    assert territories == ["territories/", "territories/kalbajar/"]  # the index counts events by territory
    added_words = [s.text_content() for s in section(tree, "Chronology").xpath(".//strong")]
    assert any("Kalbajar: date of “occupation” given in the speech in Kalbajar 2 April 1993" in w for w in added_words)
    assert "data/chronology.json" in [c.text for c in section(tree, "Data").xpath("./li/code")]


def test_a_renamed_territory_and_its_area(builds, capsys):
    base, heads = builds
    tree = rendered(markdown_of(base, heads["rename"], capsys))
    rows = [[cell.text_content() for cell in row.xpath("./td")] for row in tree.xpath("//table/tbody/tr")]
    assert rows == [
        ["Territory fizuli (Fuzuli): name", "Fizuli", "Fuzuli"],
        ["Territory fizuli (Fuzuli): area", "1,390 km²", "1,400 km²"],
        ["Their total area", "4,733 km²", "4,743 km²"],
    ]
    fizuli = [li for li in section(tree, "Territories").xpath("./li") if li.xpath("./code")[0].text == "territories/fizuli/"][0]
    assert fizuli.text_content().splitlines()[0].endswith("— Fuzuli")  # the new heading
    assert any(li.xpath("./s/text()|./del/text()") == ["1,390"] and li.xpath("./strong/text()") == ["1,400"]
               for li in fizuli.xpath("./ul/li"))
    assert "territories/fizuli/feed.xml" in [c.text for c in section(tree, "Feeds").xpath("./li/code")]


def test_human_json_and_list_formats(builds, capsys):
    base, heads = builds
    assert main(["diff", str(base), str(heads["typo"])]) == 0
    human = capsys.readouterr().out.splitlines()
    assert human[0] == f"{base} → {heads['typo']}: 3 pages changed, 0 added, 0 removed; 2 other files changed."
    assert "      … Lachin and Fuzuli are [-bieng-]{+being+} built. Road Length Ganja– …" in human
    assert main(["diff", str(base), str(heads["event"]), "--list-changed"]) == 0
    listed = capsys.readouterr().out.split()
    diff = compare_builds(base, heads["event"])
    visible = [c.path for c in diff.files if c.is_page and c.status == "changed"]
    assert {"chronology/index.html", "territories/kalbajar/index.html", "index.html"} <= set(visible)
    assert listed[:len(visible)] == visible  # the pages whose words differ first, then markup-only ones
    assert all((heads["event"] / path).is_file() and path.endswith(".html") for path in listed)
    assert main(["diff", str(base), str(heads["event"]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed_pages"] == listed
    assert {"subject": "total", "id": "events", "label": "Dated events", "field": "count", "before": "4",
            "after": "5"} in data["figures"]
    assert main(["diff", str(base), str(base)]) == 0
    assert capsys.readouterr().out.endswith("show the same site (%d files compared; pagefind/ aside).\n"
                                             % compare_builds(base, base).compared)
    assert main(["diff", str(base), str(base / "missing")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_markup_only_changes_are_counted_not_shown(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, markup in ((old, '<p class="a">Same words</p>'), (new, '<p class="b" id="x">Same  <b>words</b></p>')):
        (folder / "articles" / "x").mkdir(parents=True)
        page = f"<!doctype html><html><head><title>T</title><script>var a = 1;</script></head><body><h1>X</h1>{markup}"
        hidden = '<p hidden>hidden one</p>' if folder == old else '<p hidden>hidden two</p>'
        (folder / "articles" / "x" / "index.html").write_text(page + hidden + "</body></html>")
        (folder / "pagefind").mkdir()
        (folder / "pagefind" / f"{folder.name}.pf_index").write_text(folder.name)
    tree = rendered(markdown_of(old, new, capsys))
    assert tree.xpath("//p/strong")[0].text == "0 pages changed, 0 added, 0 removed; 1 changed in markup only"
    assert [li.text_content() for li in tree.xpath("//li")] == ["changed in markup only articles/x/ — X"]


def test_kinds():
    assert [kind_of(p) for p in ("articles/x/index.html", "articles/x/compare/index.html", "articles/index.html",
                                 "articles/page/2/index.html", "originals/a.txt", "originals/index.html",
                                 "territories/x/index.html", "territories/x/feed.xml", "chronology/index.html",
                                 "tags/x/index.html", "years/index.html", "data/chronology.json", "index.html",
                                 "static/style.css", "about/index.html", "feed.xml", "sitemap.xml")] == [
        "documents", "documents", "indexes", "indexes", "documents", "indexes", "territories", "feeds", "chronology",
        "indexes", "indexes", "data", "other", "other", "other", "feeds", "other"]


def test_edit_rows_added_changed_and_removed():
    from karabakh_site.commands.sitediff import EditChange, edit_changes
    old = [("KalbajarLachin", "Kalbajar, Lachin", "Extraction fault."), ("OSCEMinsk", "OSCE Minsk", "Space missing.")]
    new = [("KalbajarLachin", "Kalbajar and Lachin", "Extraction fault."), ("bieng", "being", "Typo.")]
    assert edit_changes(old, new) == [
        EditChange("changed", new[0], old[0]),
        EditChange("added", new[1]),
        EditChange("removed", old[1]),
    ]
    assert edit_changes(old, old) == []
