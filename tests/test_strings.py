"""Interface strings: one file per language, overridable from a user template folder."""

import pytest

from karabakh_site.commands.build import build
from karabakh_site.commands.cli import main
from karabakh_site.text.languages import canonical_language_tag
from karabakh_site.render.strings import load_strings

from conftest import PROJECT, options_for


def test_every_template_string_exists_in_english():
    strings, problems = load_strings([PROJECT / "templates"], "en")
    assert not problems
    assert len(strings["months"]) == 12
    assert strings.format("documents_lede", count=3) == "3 documents, newest first; undated documents last."


def test_a_translation_overrides_the_theme(make_site, tmp_path):
    theme = tmp_path / "mytheme"
    (theme / "strings").mkdir(parents=True)
    (theme / "strings" / "az.yaml").write_text(
        "nav_home: Ana səhifə\nskip_link: Əsas məzmuna keç\n"
        "months: [yanvar, fevral, mart, aprel, may, iyun, iyul, avqust, sentyabr, oktyabr, noyabr, dekabr]\n",
        encoding="utf-8")
    root = make_site({"site.yaml": "title: Arxiv\nbase_url: https://example.org/\nlanguage: az\n"})
    site = build(options_for(root, tmp_path / "build", templates=(theme,)))
    assert site is not None
    import lxml.html
    page = lxml.html.fromstring((tmp_path / "build" / "articles" / "one" / "index.html").read_bytes())
    assert page.get("lang") == "az"
    assert page.cssselect("a.skip-link")[0].text == "Əsas məzmuna keç"
    assert page.cssselect("nav.site-nav a")[0].text == "Ana səhifə"
    assert page.cssselect("dl.meta time")[0].text == "19 iyul 2025"
    assert page.cssselect("dl.meta dt")[0].text == "Tarix"  # keys the user's file leaves out: the theme's az.yaml


def test_a_missing_string_is_a_template_error(make_site, tmp_path, capsys):
    theme = tmp_path / "mytheme"
    theme.mkdir()
    (theme / "page.html").write_text('{% extends "base.html" %}{% block main %}{{ t("no_such_key") }}{% endblock %}')
    root = make_site({"pages/about.md": "---\ntitle: About\n---\n"})
    code = main(["check", "-q", "--content", str(root), "--templates", str(theme),
                 "--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static")])
    assert code == 1
    first = capsys.readouterr().err.splitlines()[0].replace(str(tmp_path), "TMP")
    assert first == "TMP/mytheme/page.html:1: template error: no interface string 'no_such_key' in strings/en.yaml"


def test_a_strings_file_linked_from_outside_its_folder_is_refused(make_site, tmp_path):
    """Issue 11: strings are read only from the template folders, never through a link leading out."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("nav_home: PUBLISHED FROM OUTSIDE\n", encoding="utf-8")
    theme = tmp_path / "mytheme"
    (theme / "strings").mkdir(parents=True)
    (theme / "strings" / "az.yaml").symlink_to(outside)
    strings, problems = load_strings([theme, PROJECT / "templates"], "az")
    assert [str(problem).replace(str(tmp_path), "TMP") for problem in problems.sorted()] == [
        "TMP/mytheme/strings/az.yaml: strings file resolves outside its template folder; refused",
    ]
    assert strings["nav_home"] == load_strings([PROJECT / "templates"], "az")[0]["nav_home"] == "Ana səhifə"


@pytest.mark.parametrize("language", ["../../../tmp/x/evil", "a" * 300, "en/../../x", "", "en_US"])
def test_strings_are_never_loaded_for_a_value_that_is_not_a_language_tag(language):
    """site.yaml's language is checked in model.py; any other value reaching here is a bug, not a path."""
    with pytest.raises(ValueError, match="is not a BCP 47 language tag"):
        load_strings([PROJECT / "templates"], language)


def test_a_regional_language_falls_back_to_its_language_then_english(tmp_path):
    theme = tmp_path / "mytheme"
    (theme / "strings").mkdir(parents=True)
    (theme / "strings" / "sr.yaml").write_text("nav_home: Početna\nskip_link: Preskoči\n", encoding="utf-8")
    (theme / "strings" / "sr-Latn-RS.yaml").write_text("skip_link: Pređi na glavni sadržaj\n", encoding="utf-8")
    strings, problems = load_strings([theme, PROJECT / "templates"], "sr-Latn-RS")  # the theme has no sr.yaml
    assert not problems
    assert (strings["nav_home"], strings["skip_link"], strings["undated"]) == ("Početna", "Pređi na glavni sadržaj", "undated")


@pytest.mark.parametrize("text, tag", [
    ("en", "en"), ("EN-gb", "en-GB"), ("az-latn-az", "az-Latn-AZ"), ("es-419", "es-419"), ("de-CH-1996", "de-CH-1996"),
    ("sr-Latn-RS-u-ca-gregory", "sr-Latn-RS-u-ca-gregory"), ("en-GB-x-Pirate", "en-GB-x-pirate"),
    ("en_US", None), ("en-", None), ("e", None), ("x-only", None), ("../en", None), ("en/../en", None),
    ("\u212aa", None), ("a" * 36, None), ("en-" + "-".join(["abcde"] * 6), None),
])
def test_language_tags_are_checked_and_written_in_their_usual_case(text, tag):
    assert canonical_language_tag(text) == tag
