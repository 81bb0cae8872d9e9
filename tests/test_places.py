"""Mentions are mentions (#12): not_mentions phrases, places inside territories, labelled aliases, folding.

Each site here brings its own chronology (no events), so the checks are tested on their
own; bad input is built over a good previous output, which must stay byte for byte.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from karabakh_site.commands.build import build
from karabakh_site.errors import BuildFailed

from conftest import options_for, write_site
from test_bad_input import PreviousBuild, digest, shown

CHRONOLOGY = """\
    territories:
      - id: shusha
        name: Shusha
        aliases: [{name: "Şuşa", lang: az}, {name: Shushi, lang: hy-Latn}]
        area_km2: 289
      - id: nagorno-karabakh
        name: Nagorno-Karabakh
        aliases: ["Nagorno Karabakh"]
        area_km2: 4400
      - id: gubadli
        name: Gubadli
        aliases: [{name: "Qubadlı", lang: az}]
        area_km2: 802
    places:
      - id: khankendi
        name: Khankendi
        aliases: [{name: Stepanakert, lang: hy-Latn}]
        in: nagorno-karabakh
    not_mentions:
      - phrase: "Shusha Global Media Forum"
        why: "The name of a forum."
    events: []
    """
FORUM = """\
    ---
    title: Forum
    date: "2025-07-19"
    source: {name: Outlet}
    ---
    Participants of the Third Shusha
    Global Media Forum met in the city of Khankendi. Stepanakert is named too.
    """
OTHER = """\
    ---
    title: Other
    date: "2025-08-21"
    source: {name: Outlet}
    ---
    SHUSHI and Shusha. Then Qubadli, Qubadlıyev and Gubadlix.
    """
GOOD = {"chronology.yaml": CHRONOLOGY, "articles/one.md": FORUM, "articles/two.md": OTHER, "articles/figures.md": None}
"""The minimal site's other articles are left out, so that these checks stand on their own."""


def chronology(old: str, new: str) -> str:
    assert old in CHRONOLOGY
    return CHRONOLOGY.replace(old, new, 1)


@pytest.fixture(scope="module")
def places_site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("places") / "content", GOOD)
    out = root.parent / "build"
    build(options_for(root, out))
    return out


def page(out: Path, path: str):
    return lxml.html.fromstring((out / path).read_bytes())


def structured(tree) -> list[dict]:
    return [json.loads(script.text) for script in tree.xpath("//script[@type='application/ld+json']")]


@pytest.fixture
def previous(tmp_path, places_site) -> PreviousBuild:
    out = tmp_path / "publish" / "build"
    shutil.copytree(places_site, out)
    return PreviousBuild(out, digest(out))


def refused(root: Path, previous: PreviousBuild) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        build(options_for(root, previous.out))
    previous.assert_untouched()
    return shown(caught.value.errors, root)


# --- What the pages show --------------------------------------------------------------------

def test_a_name_inside_a_not_mentions_phrase_is_no_mention(places_site):
    forum = page(places_site, "articles/one/index.html")
    assert [a.text for a in forum.cssselect("a.mention, span.mention")] == ["Khankendi", "Stepanakert"]
    shusha = page(places_site, "territories/shusha/index.html")
    naming = [item.cssselect("h3 a")[0].text_content() for item in shusha.cssselect("li.doc-item") if item.cssselect("ol.kwic")]
    assert naming == ["Other"]
    [note] = shusha.cssselect("p.not-mentions")
    assert note.text_content() == ("Not counted as mentions, because the name is part of another name: "
                                   "“Shusha Global Media Forum” (The name of a forum.)")
    assert page(places_site, "territories/gubadli/index.html").cssselect("p.not-mentions") == []
    [article_data] = [d for d in structured(forum) if d.get("@type") != "BreadcrumbList"][:1]
    locations = article_data["contentLocation"]
    assert [place["name"] for place in locations] == ["Khankendi"]
    assert locations[0]["containedInPlace"]["name"] == "Nagorno-Karabakh"
    assert locations[0]["url"].endswith("territories/nagorno-karabakh/#place-khankendi")


def test_places_are_listed_on_their_territory_and_not_counted_as_its_mentions(places_site):
    territory = page(places_site, "territories/nagorno-karabakh/index.html")
    assert territory.cssselect("section[aria-labelledby='territory-documents'] ol.kwic") == []
    [place] = territory.cssselect("section.place")
    assert place.get("id") == "place-khankendi"
    assert place.cssselect("h3")[0].text_content() == "Khankendi"
    assert [m.text for m in place.cssselect("ol.kwic mark")] == ["Khankendi", "Stepanakert"]
    assert place.cssselect("article.kwic-group h4 a")[0].text_content() == "Forum"
    forum = page(places_site, "articles/one/index.html")
    link = forum.cssselect("a.mention")[0]
    assert link.get("href") == "../../territories/nagorno-karabakh/index.html#place-khankendi"
    assert link.get("id") == "mention-khankendi-1"
    listed = [a.text_content() for a in forum.cssselect("dl.meta a[href*='territories']")]
    assert "Nagorno-Karabakh" not in listed


def test_folded_spellings_match_whole_words_only(places_site):
    other = page(places_site, "articles/two/index.html")
    assert [a.text for a in other.cssselect(".mention")] == ["SHUSHI", "Shusha", "Qubadli"]
    gubadli = page(places_site, "territories/gubadli/index.html")
    assert [m.text for m in gubadli.cssselect("ol.kwic mark")] == ["Qubadli"]


def test_alias_languages_are_shown_with_lang_attributes(places_site):
    shusha = page(places_site, "territories/shusha/index.html")
    names = shusha.cssselect("dl.meta dd")[0]
    assert [(span.get("lang"), span.text) for span in names.cssselect("span[lang]")] == [
        ("az", "Şuşa"), ("hy-Latn", "Shushi")]
    assert [label.text for label in names.cssselect(".alias-lang")] == ["(Azerbaijani)", "(Armenian, in Latin letters)"]
    territory = page(places_site, "territories/nagorno-karabakh/index.html")
    plain = territory.cssselect("dl.meta dd")[0]
    assert plain.text_content() == "Nagorno Karabakh" and plain.cssselect("[lang]") == []
    place_names = territory.cssselect("section.place p")[0]
    assert [(s.get("lang"), s.text) for s in place_names.cssselect("span[lang]")] == [("hy-Latn", "Stepanakert")]


# --- Bad input ------------------------------------------------------------------------------

def test_a_not_mentions_phrase_found_in_no_document_is_an_error(make_site, previous):
    root = make_site({**GOOD, "chronology.yaml": chronology(
        'why: "The name of a forum."', 'why: "The name of a forum."\n      - "Lachin Corridor"'),
        "articles/two.md": OTHER.replace("Gubadlix.\n", "Gubadlix.\n\n    [x](nowhere.md)\n")})
    assert refused(root, previous) == [
        "SITE/articles/two.md:8:5: link to unknown document 'nowhere.md' (did you mean 'articles/one.md'?)",
        "SITE/chronology.yaml:22:6: not_mentions phrase 'Lachin Corridor' is found in no document; remove it "
        "(phrases are matched as whole words in the articles' text, headings aside)",
    ]


def test_a_place_in_an_unknown_territory_is_an_error_with_did_you_mean(make_site, previous):
    root = make_site({**GOOD, "chronology.yaml": chronology("in: nagorno-karabakh", "in: nagorno-karabak").replace(
        "aliases: [{name: Stepanakert, lang: hy-Latn}]", "aliases: [Shushi]")})
    assert refused(root, previous) == [
        "SITE/chronology.yaml:15:9: name or alias 'Shushi' of place 'khankendi' is already used by territory 'shusha' "
        "(line 2)",
        "SITE/chronology.yaml:18:9: place 'khankendi' is in unknown territory 'nagorno-karabak' "
        "(did you mean 'nagorno-karabakh'?)",
    ]


def test_bad_alias_language_and_place_ids_are_errors(make_site, previous):
    root = make_site({**GOOD, "chronology.yaml": chronology("lang: az}, {name: Shushi", "lang: 'a z'}, {name: Shushi")
                      .replace("id: khankendi", "id: shusha")})
    assert refused(root, previous) == [
        "SITE/chronology.yaml:4:36: lang 'a z' is not a BCP 47 language tag "
        "(use e.g. 'az', 'hy-Latn' (Armenian in Latin letters), 'ru-Latn' or 'en')",
        "SITE/chronology.yaml:15:9: place id 'shusha' is already a territory's id (give the place its own id, e.g. 'shusha-city')",
    ]
    root = make_site({**GOOD, "chronology.yaml": chronology("id: khankendi", "id: shusha")})
    assert refused(root, previous) == [
        "SITE/chronology.yaml:15:9: place id 'shusha' is already a territory's id (give the place its own id, e.g. 'shusha-city')",
    ]


def test_malformed_places_not_mentions_and_aliases_are_errors_together(make_site, previous):
    root = make_site({**GOOD, "chronology.yaml": chronology(
        '[{name: "Qubadlı", lang: az}]', '[{name: "Qubadlı", lang: az}, 1994]').replace(
        '- phrase: "Shusha Global Media Forum"', '- 7\n      - phrase: "Shusha Global Media Forum"').replace(
        "in: nagorno-karabakh", "in: nagorno-karabakh\n        color: red")})
    assert refused(root, previous) == [
        "SITE/chronology.yaml:12:14: 'aliases' must list names or {name, lang} mappings; item 2 is 1994 "
        "(put the value in quotes if it is meant as text)",
        "SITE/chronology.yaml:19:5: unknown key 'color' in place (allowed: id, name, aliases, in, note)",
        "SITE/chronology.yaml:21: not_mentions item 1 must be a phrase (text)",
    ]
