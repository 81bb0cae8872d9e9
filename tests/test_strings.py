"""Interface strings: one file per language, overridable from a user template folder."""


from karabakh_site.build import build
from karabakh_site.cli import main
from karabakh_site.strings import load_strings

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
    assert page.cssselect("dl.meta dt")[0].text == "Date"  # untranslated keys fall back to English


def test_a_missing_string_is_a_template_error(make_site, tmp_path, capsys):
    theme = tmp_path / "mytheme"
    theme.mkdir()
    (theme / "page.html").write_text('{% extends "base.html" %}{% block main %}{{ t("no_such_key") }}{% endblock %}')
    root = make_site({"pages/about.md": "---\ntitle: About\n---\n"})
    code = main(["check", "-q", "--content", str(root), "--templates", str(theme),
                 "--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static")])
    assert code == 1
    first = capsys.readouterr().err.splitlines()[0].replace(str(tmp_path), "TMP")
    assert first == "1. TMP/mytheme/page.html:1: template error: no interface string 'no_such_key' in strings/en.yaml"
