"""The JSON Schemas for editors (#14): generated from the content contract, and in agreement with the validator.

Every bad input collected here and in test_bad_input.py goes through both model.py's validator
and the schema of its file. On the shape of a file (types, unknown keys, required keys,
choices) they must agree; the checks only the validator can make are listed, with the reason,
in VALIDATOR_ONLY, and the few places where the two knowingly differ in KNOWN_DIFFERENCES.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from karabakh_site.commands.cli import main
from karabakh_site.content.contract import DOCUMENTS
from karabakh_site.content.load import load_content
from karabakh_site.content.model import build_model
from karabakh_site.content.schema import json_schema, schema_text

from conftest import FIXTURE_SITE, MINIMAL_SITE, PROJECT, write_site
from test_bad_input import REFUSED, article, chronology, site_yaml

SCHEMAS = PROJECT / "schemas"


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_files_in_schemas_are_the_generated_ones(kind):
    assert (SCHEMAS / f"{kind}.json").read_text(encoding="utf-8") == schema_text(kind), \
        "regenerate them: karabakh-site schema --write schemas"
    assert sorted(path.stem for path in SCHEMAS.glob("*.json")) == sorted(DOCUMENTS)


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_command_prints_the_schema(kind, capsys):
    assert main(["schema", kind]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema(kind)


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_every_key_has_a_description_and_examples_that_the_schema_accepts(kind):
    schema = json_schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)

    def visit(node: dict, where: str) -> None:
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{where}.{name} has no description"
            assert prop.get("examples"), f"{where}.{name} has no examples"
            for example in prop["examples"]:
                assert not list(jsonschema.Draft7Validator(prop).iter_errors(example)), f"{where}.{name}: {example!r}"
            for child in (prop, prop.get("items", {}), *prop.get("items", {}).get("anyOf", [])):
                if child is not prop or "properties" in child:
                    visit(child, f"{where}.{name}")

    visit(schema, kind)


def test_draft_is_a_boolean_of_articles_and_pages():
    for kind in ("article", "page"):
        draft = json_schema(kind)["properties"]["draft"]
        assert (draft["type"], draft["default"]) == ("boolean", False)
        assert "--drafts" in draft["description"]


# --- The validator and the schema judge the same input ---------------------------------------

def documents(raw) -> list[tuple[str, str, object]]:
    """Each content file read by the loader: its kind, path and parsed YAML."""
    found = [("site", raw.site_path, raw.site), ("chronology", raw.chronology_path, raw.chronology)]
    found += [("article", document.source_path, document.front_matter) for document in raw.articles]
    found += [("page", document.source_path, document.front_matter) for document in raw.pages]
    return [(kind, path, data) for kind, path, data in found if data is not None]


def judge(root: Path) -> tuple[bool, bool] | None:
    """Whether the validator and the schemas accept the site; None if a file cannot be read as YAML."""
    raw, problems = load_content(root)
    if problems:
        return None  # not YAML, or not a mapping: neither has a shape to judge
    _, problems = build_model(raw)
    schema_ok = all(jsonschema.Draft7Validator(json_schema(kind)).is_valid(data) for kind, _, data in documents(raw))
    return not problems, schema_ok


def source(extra: str) -> str:
    return f"---\ntitle: One\nsource:\n  name: X\n{extra}---\nBody.\n"


def site_with_repository(lines: str) -> str:
    return site_yaml("repository:\n" + lines)


EVENT_SOURCE = '    sources: [{article: source-of-events, quote: "Dated May 8, 1992"}]\n'
PLACES = "places:\n  - id: shusha-city\n    name: Shusha city\n    in: shusha\n"

HAND_WRITTEN = {
    # Accepted by both.
    "valid-minimal-site": ({}, True),
    # An empty key is a placeholder, refused outside a draft (#14); in a draft it is an absent key.
    "empty-keys-are-absent-in-a-draft": (article("draft: true\nsummary:\ndate_note:\noriginal:\ntitle_by:\ntags:\n"
                                                  "edits:\n"), True),
    "edit-removal": (article("edits: [{from: x, why: y}, {from: z, to: '', why: w}]\n"), True),
    "labelled-aliases": ({"chronology.yaml": chronology("aliases: [Shushi]", 'aliases: [Shushi, {name: Şuşa, lang: az}]')},
                         True),
    "places-and-not-mentions": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"]) + PLACES
                                 + "not_mentions: [Dated May, {phrase: Body of one, why: x}]\n"}, True),
    "repository": ({"site.yaml": site_with_repository("  url: https://github.com/x/y\n  branch: main\n")}, True),
    "year-unquoted": (article("date: 1994\n"), True),
    "id-with-spaces-around": ({"chronology.yaml": chronology("- id: shusha", "- id: ' shusha '")}, True),
    # Unknown keys.
    "unknown-article-key": (article("autor: X\n"), False),
    "unknown-page-key": ({"pages/about.md": "---\ntitle: About\ndate: '2020'\n---\n"}, False),
    "unknown-source-key": (source("  outlet: Y\n"), False),
    "unknown-edit-key": (article("edits: [{from: x, to: y, why: z, when: 2020}]\n"), False),
    "unknown-site-key": ({"site.yaml": site_yaml("theme: dark\n")}, False),
    "unknown-repository-key": ({"site.yaml": site_with_repository("  url: https://github.com/x/y\n  ref: main\n")},
                               False),
    "unknown-chronology-key": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"]) + "cities: []\n"},
                               False),
    "unknown-territory-key": ({"chronology.yaml": chronology("    area_km2: 289\n", "    area_km2: 289\n    capital: x\n")},
                              False),
    "unknown-event-key": ({"chronology.yaml": chronology("    kind: occupation\n", "    kind: occupation\n    place: x\n")},
                          False),
    "unknown-event-source-key": ({"chronology.yaml": chronology("quote: \"Dated May 8, 1992\"}",
                                                                "quote: \"Dated May 8, 1992\", page: 2}")}, False),
    "unknown-alias-key": ({"chronology.yaml": chronology("aliases: [Shushi]", "aliases: [{name: Shushi, script: x}]")},
                          False),
    "unknown-place-key": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"]) + PLACES + "    color: red\n"},
                          False),
    "unknown-not-mention-key": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"])
                                 + "not_mentions: [{phrase: Dated May, because: x}]\n"}, False),
    # Required keys, absent or empty.
    "no-title": ({"articles/one.md": "---\nsource: {name: X}\n---\n"}, False),
    "empty-title": ({"articles/one.md": "---\ntitle:\nsource: {name: X}\n---\n"}, False),
    "no-source": ({"articles/one.md": "---\ntitle: One\n---\n"}, False),
    "empty-source": ({"articles/one.md": "---\ntitle: One\nsource:\n---\n"}, False),  # once dropped the article silently
    "source-without-name-via-or-note": ({"articles/one.md": "---\ntitle: One\nsource: {url: 'https://x.org/'}\n---\n"},
                                        False),
    "source-with-an-empty-name-only": ({"articles/one.md": "---\ntitle: One\nsource: {name: }\n---\n"}, False),
    "page-without-title": ({"pages/about.md": "---\nsummary: x\n---\n"}, False),
    "edit-without-why": (article("edits: [{from: x, to: y}]\n"), False),
    "edit-without-from": (article("edits: [{to: x, why: y}]\n"), False),
    "site-without-base-url": ({"site.yaml": "title: Mini\n"}, False),
    "site-without-title": ({"site.yaml": "base_url: https://example.org/\n"}, False),
    "repository-without-url": ({"site.yaml": site_with_repository("  branch: main\n")}, False),
    "territory-without-name": ({"chronology.yaml": chronology("    name: Shusha\n", "")}, False),
    "event-without-date": ({"chronology.yaml": chronology('    date: "1992-05-08"\n', "")}, False),
    "event-without-title": ({"chronology.yaml": chronology("    title: \"Shusha: “occupation” date\"\n", "")}, False),
    "event-without-sources": ({"chronology.yaml": chronology(EVENT_SOURCE, "")}, False),
    "event-with-empty-sources": ({"chronology.yaml": chronology(EVENT_SOURCE, "    sources: []\n")}, False),
    "event-source-without-quote": ({"chronology.yaml": chronology(', quote: "Dated May 8, 1992"', "")}, False),
    "alias-without-name": ({"chronology.yaml": chronology("aliases: [Shushi]", "aliases: [{lang: az}]")}, False),
    "place-without-in": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"])
                          + PLACES.replace("    in: shusha\n", "")}, False),
    "not-mention-without-phrase": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"])
                                    + "not_mentions: [{why: x}]\n"}, False),
    # Types.
    "title-as-a-list": ({"articles/one.md": "---\ntitle: [One]\nsource: {name: X}\n---\n"}, False),
    "title-as-a-mapping": ({"articles/one.md": "---\ntitle: {a: b}\nsource: {name: X}\n---\n"}, False),
    "source-as-a-text": ({"articles/one.md": "---\ntitle: One\nsource: News.Az\n---\n"}, False),
    "source-as-a-list": ({"articles/one.md": "---\ntitle: One\nsource: [News.Az]\n---\n"}, False),
    "tag-that-is-a-number": (article("tags: [war, 1994]\n"), False),
    "tag-that-is-empty": (article("tags: [war, '']\n"), False),
    "tags-as-a-mapping": (article("tags: {war: 1}\n"), False),
    "edits-as-a-mapping": (article("edits: {from: x, to: y, why: z}\n"), False),
    "edit-as-a-text": (article("edits: [x]\n"), False),
    "summary-as-a-number": (article("summary: 12\n"), False),
    "date-as-true": (article("date: true\n"), False),
    "date-as-a-mapping": (article("date: {year: 1994}\n"), False),
    "site-title-as-a-number": ({"site.yaml": "title: 1\nbase_url: https://example.org/\n"}, False),
    "repository-as-a-text": ({"site.yaml": site_yaml("repository: https://github.com/x/y\n")}, False),
    "base-url-without-scheme": ({"site.yaml": "title: Mini\nbase_url: example.org/mini/\n"}, False),
    "base-url-ftp": ({"site.yaml": "title: Mini\nbase_url: ftp://example.org/\n"}, False),
    "territories-as-a-mapping": ({"chronology.yaml": "territories: {shusha: 1}\n"}, False),
    "territory-as-a-text": ({"chronology.yaml": "territories: [shusha]\n"}, False),
    "events-as-a-text": ({"chronology.yaml": chronology("events:\n", "events: x\nold_events:\n")}, False),
    "area-as-true": ({"chronology.yaml": chronology("area_km2: 289", "area_km2: true")}, False),
    "event-source-as-a-number": ({"chronology.yaml": chronology(EVENT_SOURCE, "    sources: [1]\n")}, False),
    "alias-as-a-number": ({"chronology.yaml": chronology("aliases: [Shushi]", "aliases: [Shushi, {name: Şuşa}, 7]")},
                          False),
    "not-mention-as-a-number": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"])
                                 + "not_mentions: [12]\n"}, False),
    "places-as-a-text": ({"chronology.yaml": textwrap.dedent(MINIMAL_SITE["chronology.yaml"]) + "places: x\n"}, False),
    "event-id-with-uppercase": ({"chronology.yaml": chronology("- id: occupation-shusha", "- id: Occupation")}, False),
    # Choices.
    "unknown-kind": ({"chronology.yaml": chronology("kind: occupation", "kind: ocupation")}, False),
    "kind-as-a-number": ({"chronology.yaml": chronology("kind: occupation", "kind: 1")}, False),
    "empty-kind-is-other": ({"chronology.yaml": chronology("kind: occupation", "kind:")}, True),
    "unknown-title-by": (article("title_by: editor\n"), False),
}


def as_files(case) -> dict:
    return case if isinstance(case, dict) else {"articles/one.md": case}


@pytest.mark.parametrize("files, valid", HAND_WRITTEN.values(), ids=HAND_WRITTEN.keys())
def test_validator_and_schema_agree_on_the_shape_of_a_file(tmp_path, files, valid):
    assert judge(write_site(tmp_path, as_files(files))) == (valid, valid)


VALIDATOR_ONLY = {
    # The file as bytes and YAML: the schema sees only the parsed data (judge() returns None).
    # The grammar of values the schema only describes:
    "impossible-day": "EDTF dates: grammar and real calendar days (dates.py)",
    "impossible-month": "EDTF dates", "word-as-date": "EDTF dates", "reversed-range": "EDTF dates",
    "impossible-event-date": "EDTF dates", "day-00": "EDTF dates", "month-00": "EDTF dates",
    "month-00-ending-a-range": "EDTF dates", "arabic-indic-digits": "EDTF dates", "full-width-digits": "EDTF dates",
    "line-break-after-date": "EDTF dates",
    "language-is-a-path": "BCP 47 language tags (languages.py)", "language-of-300-characters": "BCP 47",
    "language-with-underscore": "BCP 47", "language-with-kelvin-sign": "BCP 47",
    "languages-with-a-path": "BCP 47", "article-language-not-a-tag": "BCP 47",
    "territory-name-in-a-language-not-a-tag": "BCP 47 (a name's key)",
    # Rules across keys, files or the theme (#16):
    "languages-without-the-default": "the default is another key ('language')",
    "page-in-a-language-folder": "a page's slug is its file name, a language's folder is in site.yaml",
    # Rules across keys, files or the file's name:
    "occupied-territory-without-area": "an area is required only for a territory an occupation or return names",
    "returned-territory-without-area": "an area is required only for a territory an occupation or return names",
    "article-name-with-uppercase": "the file name is the slug; the schema sees the front matter only",
    "article-name-with-spaces": "the file name is the slug; the schema sees the front matter only",
}
"""Bad input the validator refuses and the schema cannot: the reason for each."""

BUILD_ONLY = {
    "languages-without-strings": "a language's strings file is in the theme: the build checks it, not the content model",
}
"""Bad input that only the build refuses, as it needs more than the content: the reason for each."""

KNOWN_DIFFERENCES = {
    "empty-keys-outside-a-draft": (article("summary:\ndate_note:\n"), (False, True),
                                   "an empty key is a placeholder `new` wrote, refused outside a draft; the schema "
                                   "lets an editor save an unfinished file, where null means absent"),
    "title-by-with-spaces": (article("title_by: ' archive '\n"), (True, False),
                             "the validator trims a choice before comparing; the schema's enum does not"),
    "float-year": (article("date: 1994.0\n"), (False, True),
                   "JSON Schema counts 1994.0 as an integer; the validator wants a quoted EDTF string"),
    "nan-area": ({"chronology.yaml": chronology("area_km2: 289", "area_km2: .nan")}, (False, True),
                 "YAML's .nan is a number JSON does not have; JSON Schema's bounds do not exclude it"),
}


@pytest.mark.parametrize("files, expected", REFUSED.values(), ids=REFUSED.keys())
def test_validator_and_schema_agree_on_every_refused_input(request, tmp_path, files, expected):
    case = request.node.callspec.id
    verdict = judge(write_site(tmp_path, files))
    if verdict is None:
        return  # refused while reading the file (not UTF-8, not YAML, too large ...): no shape to judge
    if case in BUILD_ONLY:
        assert verdict == (True, True), f"{case}: the content model now refuses it; remove it from BUILD_ONLY"
    elif case in VALIDATOR_ONLY:
        assert verdict == (False, True), f"{case}: the schema now catches it; remove it from VALIDATOR_ONLY"
    else:
        assert verdict == (False, False)


@pytest.mark.parametrize("files, verdict, reason", KNOWN_DIFFERENCES.values(), ids=KNOWN_DIFFERENCES.keys())
def test_the_known_differences_are_still_the_only_ones(tmp_path, files, verdict, reason):
    assert judge(write_site(tmp_path, as_files(files))) == verdict, reason


@pytest.mark.parametrize("root", [PROJECT / "content", FIXTURE_SITE], ids=["content", "fixture-site"])
def test_every_real_file_matches_its_schema(root):
    raw, problems = load_content(root)
    assert not problems
    for kind, path, data in documents(raw):
        errors = [error.message for error in jsonschema.Draft7Validator(json_schema(kind)).iter_errors(data)]
        assert errors == [], path


def test_a_new_document_names_its_schema_and_still_builds(tmp_path):
    content = write_site(tmp_path / "project" / "content", {})
    for kind in ("article", "page"):
        assert main(["new", kind, "Şuşa notes", "--content", str(content)]) == 0
        path = content / f"{kind}s" / "susa-notes.md"
        first, modeline = path.read_text(encoding="utf-8").split("\n")[:2]
        assert (first, modeline) == ("---", f"# yaml-language-server: $schema=../../schemas/{kind}.json")
        assert (path.parent / modeline.split("=", 1)[1]).resolve() == (tmp_path / "project" / "schemas" /
                                                                       f"{kind}.json").resolve()
    assert judge(content) == (True, True)


def test_vscode_maps_the_yaml_files_to_their_schemas():
    settings = json.loads((PROJECT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {"./schemas/chronology.json": ["content/chronology.yaml"],
                                        "./schemas/site.json": ["content/site.yaml"]}


def test_the_yaml_loader_reads_the_modeline_as_a_comment():
    assert yaml.safe_load("# yaml-language-server: $schema=../../schemas/article.json\ntitle: One\n") == {"title": "One"}
