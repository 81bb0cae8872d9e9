"""Warnings (#17): publishable but worth a look; located like errors, never failing a build.

And the annotations: `check` and `build` print them by themselves inside GitHub Actions.
"""

from __future__ import annotations

import re

import yaml

from karabakh_site.commands.build import prepare_site
from karabakh_site.commands.cli import main
from karabakh_site.site.content_warnings import LONG_TITLE
from karabakh_site.text.mentions import fold_text

from conftest import PROJECT, STATIC, THEME, options_for

THEME_ARGS = ["--theme", str(THEME), "--static", str(STATIC), "--no-cache"]
SUMMARY = "summary: Outlet reports a test.\n"
LONG = "A" + " very" * 25 + " long title"
assert len(LONG) > LONG_TITLE


def summarised(title: str = "One", body: str = "Body of one.") -> str:
    return (f"---\ntitle: {title}\ndate: \"2025-07-19\"\nsource:\n  name: Outlet\nterritories: [shusha]\n"
            f"{SUMMARY}---\n{body}\n")


QUIET_SITE = {  # MINIMAL_SITE with summaries and a text naming the alias: no warning
    "articles/one.md": summarised(body="Body of one, in Shushi."),
    "articles/source-of-events.md": f"---\ntitle: Source of events\nsource:\n  note: A test text.\n{SUMMARY}---\n"
                                    "Dated May 8, 1992.\n",
}


def warnings_of(root):
    return [str(warning) for warning in prepare_site(options_for(root, root.parent / "out")).warnings]


def test_a_site_without_anything_to_look_at_has_no_warning(make_site):
    assert warnings_of(make_site(QUIET_SITE)) == []


def test_a_long_title_is_a_warning_at_its_value(make_site):
    root = make_site({**QUIET_SITE, "articles/one.md": summarised(title=LONG, body="Body of one, in Shushi.")})
    assert warnings_of(root) == [
        f"{root}/articles/one.md:2:8: title is {len(LONG)} characters long, over 120 (browser tabs, search results "
        "and phones cut or wrap a long title; where the text's own headline is this long, keep it (title_by: "
        "source) and mind how lists show it)"]


def test_an_article_without_summary_is_a_warning_a_page_is_not(make_site):
    root = make_site({"articles/one.md": QUIET_SITE["articles/one.md"], "pages/about.md": "---\ntitle: About\n---\nHi\n"})
    found = warnings_of(root)
    assert [w.split(" (")[0] for w in found] == [f"{root}/articles/source-of-events.md:2:1: article has no 'summary'"]


def test_an_alias_no_text_names_is_a_warning_at_the_alias(make_site):
    root = make_site({**QUIET_SITE, "articles/one.md": summarised(body="Body of one.")})
    assert [w.split(" (")[0] for w in warnings_of(root)] == [
        f"{root}/chronology.yaml:4:15: no document names territory 'shusha' by its alias 'Shushi'"]
    # A text naming the alias without its diacritics or case names it, as mentions are matched.
    root = make_site({**QUIET_SITE, "articles/one.md": summarised(body="Body of one, in SHUSHI.")})
    assert warnings_of(root) == []


def test_warnings_never_fail_and_are_counted_after_the_output(make_site, tmp_path, capsys):
    root = make_site({"articles/one.md": summarised(title=LONG)})  # and source-of-events has no summary
    out = tmp_path / "out"
    assert main(["build", "--content", str(root), "--out", str(out), *THEME_ARGS]) == 0
    assert (out / "index.html").is_file()
    captured = capsys.readouterr()
    located = [line for line in captured.err.splitlines() if line.startswith(str(root))]
    assert located == [
        f"{root}/articles/one.md:2:8: warning: title is {len(LONG)} characters long, over 120",
        f"{root}/articles/source-of-events.md:2:1: warning: article has no 'summary'",
        f"{root}/chronology.yaml:4:15: warning: no document names territory 'shusha' by its alias 'Shushi'",
    ]
    assert re.fullmatch(r"karabakh-site: built .*: \d+ pages, \d+ files in [\d.]+ s, 3 warnings\n", captured.out)
    assert "::" not in captured.out  # outside GitHub Actions, no annotation
    assert main(["check", "-q", "--content", str(root), *THEME_ARGS]) == 0
    assert capsys.readouterr() == ("", "")  # -q: errors only


def test_with_errors_the_warnings_come_after_them_and_the_count_names_both(make_site, capsys):
    root = make_site({"articles/one.md": summarised(title=LONG).replace('"2025-07-19"', '"2023-02-30"')})
    assert main(["check", "--content", str(root), *THEME_ARGS]) == 1
    lines = capsys.readouterr().err.splitlines()
    located = [line.split(": ", 1)[1][:40] for line in lines if line.startswith(str(root))]
    assert located == ["invalid EDTF date '2023-02-30': not a re", f"warning: title is {len(LONG)} characters long, o",
                       "warning: article has no 'summary'"]  # the alias is not judged while a text is left out
    assert lines[-1] == "1 error, 2 warnings."


def test_inside_github_actions_check_and_build_annotate_by_themselves(make_site, tmp_path, capsys, monkeypatch):
    root = make_site({"articles/one.md": summarised(title=LONG, body="Body of one, in Shushi.")})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "--content", str(root), *THEME_ARGS]) == 0
    annotations = [line for line in capsys.readouterr().out.replace(str(root), "SITE").splitlines()
                   if line.startswith("::")]
    assert [line.split("::")[1] for line in annotations] == [
        "warning file=SITE/articles/one.md,line=2,col=8",
        "warning file=SITE/articles/source-of-events.md,line=2,col=1",
    ]
    assert main(["build", "--content", str(root), "--out", str(tmp_path / "out"), *THEME_ARGS]) == 0
    assert sum(line.startswith("::warning ") for line in capsys.readouterr().out.splitlines()) == 2
    assert main(["check", "--format", "human", "--content", str(root), *THEME_ARGS]) == 0
    assert "::" not in capsys.readouterr().out  # the flag overrides the environment
    broken = make_site({"articles/one.md": summarised().replace('"2025-07-19"', '"2023-02-30"')})
    assert main(["build", "--content", str(broken), "--out", str(tmp_path / "out2"), *THEME_ARGS]) == 1
    out = capsys.readouterr().out.replace(str(broken), "SITE").splitlines()
    assert out[0] == "::error file=SITE/articles/one.md,line=3,col=7::invalid EDTF date '2023-02-30': not a real date or not EDTF"
    assert out[1].startswith("::warning file=SITE/articles/source-of-events.md,line=2,col=1::article has no 'summary'")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert main(["check", "--content", str(root), *THEME_ARGS]) == 0
    assert "::" not in capsys.readouterr().out


def test_the_shipped_contents_warnings_are_true(tmp_path):
    """Only aliases kept for search that no text writes; each is checked against the texts here."""
    report = prepare_site(options_for(PROJECT / "content", tmp_path / "out"))
    chronology = yaml.safe_load((PROJECT / "content" / "chronology.yaml").read_text(encoding="utf-8"))
    listed_aliases = {item["id"]: item.get("aliases") or [] for item in chronology["territories"]}
    texts = " ".join(fold_text(article.body) for article in report.linked.site.articles)
    warned = {}
    for warning in report.warnings:
        assert warning.path.endswith("content/chronology.yaml"), str(warning)
        territory, aliases = re.fullmatch(r"no document names territory '([a-z-]+)' by (?:its alias|the aliases) (.*)",
                                          warning.message).groups()
        warned[territory] = re.findall(r"'([^']+)'", aliases)
    for territory in report.linked.site.territories:
        written = territory.aliases[:len(listed_aliases[territory.id])]  # not those from names: (#16)
        unnamed = [a for a in written if not re.search(rf"\b{re.escape(fold_text(a))}\b", texts)]
        assert warned.get(territory.id, []) == unnamed, territory.id
    assert "kalbajar" in warned and "fizuli" not in warned  # 'Fuzuli' is in the Hajiyev report
