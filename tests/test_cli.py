"""The command line: help, exit codes, the error report."""

import subprocess
import sys

import pytest

from karabakh_site.commands.cli import main

from conftest import PROJECT


def test_help_on_every_command(capsys):
    for argv in (["--help"], ["build", "--help"], ["check", "--help"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 0
    assert "--content DIR" in capsys.readouterr().out


def theme_args():
    return ["--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static")]


def test_build_reports_every_error_and_exits_1(make_site, tmp_path, capsys):
    """A model error (the date) does not hide a link error (the territory): one run, both (#14),
    each as a compiler shows it: file:line:column, the source line, a caret, the hint."""
    root = make_site({
        "articles/one.md": "---\ntitle: One\nsource: {name: X}\ndate: '2023-02-30'\n---\n",
        "articles/two.md": "---\ntitle: Two\nsource: {name: X}\nterritories: [shsha]\n---\n",
    })
    code = main(["build", "-q", "--content", str(root), "--out", str(tmp_path / "build"), *theme_args()])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.err.replace(str(root), "SITE").splitlines()
    assert lines == [
        "SITE/articles/one.md:4:7: invalid EDTF date '2023-02-30': not a real date or not EDTF",
        "    4 | date: '2023-02-30'",
        "      |       ^",
        "",
        "SITE/articles/two.md:4:15: unknown territory 'shsha' in territories",
        "    4 | territories: [shsha]",
        "      |               ^",
        "      = hint: did you mean 'shusha'?",
        "",
        "2 errors; nothing written, the output folder is unchanged.",
    ]
    assert not (tmp_path / "build").exists()


def test_check_never_says_it_left_the_output_unchanged(make_site, capsys):
    """`check` writes nothing by design; its count says only how many errors there are (#14)."""
    root = make_site({"articles/one.md": "---\ntitle: One\nsource: {name: X}\ndate: '2023-02-30'\n---\n"})
    assert main(["check", "-q", "--content", str(root), *theme_args()]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "1 error."
    assert "nothing written" not in err and "unchanged" not in err


def test_check_writes_nothing(make_site, tmp_path, capsys):
    root = make_site()
    assert main(["check", "--content", str(root), *theme_args()]) == 0
    assert "checked content, no errors" in capsys.readouterr().out
    assert not (tmp_path / "build").exists()


def test_bad_base_url_is_a_usage_error(make_site, capsys):
    code = main(["check", "-q", "--content", str(make_site()), "--base-url", "not-a-url", *theme_args()])
    assert code == 2
    assert capsys.readouterr().err == "karabakh-site: error: base URL 'not-a-url' must be an absolute http(s) URL\n"


def test_module_entry_point_builds(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "karabakh_site", "build", "--out", str(tmp_path / "site")],
        cwd=PROJECT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    pages = len(list((tmp_path / "site").rglob("*.html")))
    assert pages > 20
    assert result.stdout.startswith(f"karabakh-site: built {tmp_path / 'site'}: {pages} pages")


def test_template_errors_name_the_template_and_line(make_site, tmp_path, capsys):
    overrides = tmp_path / "mytheme"
    overrides.mkdir()
    (overrides / "page.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ missing_value }}\n{% endblock %}\n')
    root = make_site({"pages/about.md": "---\ntitle: About\n---\nHi\n"})
    code = main(["check", "-q", "--content", str(root), "--templates", str(overrides), *theme_args()])
    assert code == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.replace(str(tmp_path), "TMP") == "TMP/mytheme/page.html:3: template error: 'missing_value' is undefined"


def test_check_github_format_prints_inline_annotations(make_site, capsys):
    root = make_site({
        "articles/one.md": "---\ntitle: One\nsource: {name: X}\ndate: '2023-02-30'\n---\n",
        "articles/two.md": "---\ntitle: Two\nsource: {name: X}\nterritory: [shusha]\n---\n",
    })
    code = main(["check", "--format", "github", "--content", str(root), *theme_args()])
    assert code == 1
    lines = capsys.readouterr().out.replace(str(root), "SITE").splitlines()
    lines = [line for line in lines if not line.startswith("::warning ")]  # no summary: tests/test_warnings.py
    assert lines == [
        "::error file=SITE/articles/one.md,line=4,col=7::invalid EDTF date '2023-02-30': not a real date or not EDTF",
        "::error file=SITE/articles/two.md,line=4,col=1::unknown key 'territory' in article front matter (did you mean 'territories'?)",
    ]


def test_names_differing_only_by_case_are_reported(make_site):
    root = make_site({"pages/about.md": "---\ntitle: A\n---\n", "pages/About.md": "---\ntitle: B\n---\n"})
    from test_model import problems_of
    assert problems_of(root) == [  # About.md, read first, is also checked (#14)
        "SITE/pages/About.md: file name 'About' is not a valid slug; use lowercase a-z, 0-9 and hyphens",
        "SITE/pages/about.md: file name differs only by case from SITE/pages/About.md",
    ]


def test_progress_lines_in_logs_and_quiet(make_site, capsys):
    root = make_site()
    assert main(["check", "--content", str(root), *theme_args()]) == 0
    lines = capsys.readouterr().err.splitlines()
    stages = [line.split()[0] for line in lines[:4]]
    assert stages == ["load", "model", "link", "render"]  # not a terminal: plain lines, as in CI
    assert all(": warning: " in line for line in lines[4:] if line.startswith(str(root)))  # then warnings (#17)
    assert main(["check", "-q", "--content", str(root), *theme_args()]) == 0
    assert capsys.readouterr() == ("", "")


def test_new_article_and_page_end_to_end(make_site, capsys):
    root = make_site()
    assert main(["new", "article", "Şuşa və Kəlbəcər: “Böyük Qayıdış”", "--content", str(root)]) == 0
    path = root / "articles" / "susa-ve-kelbecer-boyuk-qayidis.md"
    assert capsys.readouterr().out == f"created {path}\n"
    assert main(["new", "page", "Методология", "--content", str(root)]) == 0
    assert (root / "pages" / "metodologiya.md").is_file()
    capsys.readouterr()
    assert main(["check", "-q", "--content", str(root), *theme_args()]) == 0
    assert main(["new", "article", "Şuşa və Kəlbəcər: “Böyük Qayıdış”", "--content", str(root)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_import_end_to_end_flags_what_needs_an_editor(make_site, tmp_path, capsys):
    root = make_site()
    raw = tmp_path / "raw.txt"
    raw.write_text("A headline without a date\n\nFirst paragraph of the report.\n\n- a line that looks like a list\n")
    assert main(["import", str(raw), "--content", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{root / 'articles' / 'a-headline-without-a-date.md'} (from {raw})"
    assert any("source" in line for line in out[1:]) and any("date" in line for line in out[1:])
    assert main(["check", "-q", "--content", str(root), *theme_args()]) == 0
    page = (root / "articles" / "a-headline-without-a-date.md").read_text()
    assert "\\- a line that looks like a list" in page


def test_check_reports_a_silent_change_to_a_published_text(tmp_path, capsys):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    article = content / "articles" / "hajiyev-apa-statement.md"
    article.write_text(article.read_text().replace("regional peace", "regional stability"))
    assert main(["check", "-q", "--content", str(content), *theme_args()]) == 1
    lines = capsys.readouterr().err.replace(str(content), "CONTENT").splitlines()
    first, count = lines[0], lines[-1]
    assert first.startswith("CONTENT/articles/hajiyev-apa-statement.md:")
    assert "the original has 'peace.', the article 'stability.' (at: a direct threat to the regional … " in first
    assert count == "1 error."


def test_hundreds_of_broken_files_are_all_counted_and_the_printed_list_is_capped(make_site, tmp_path, capsys):
    broken = {f"articles/bad-{n:03d}.md": f"---\ntitle: Bad {n}\nsource: {{name: X}}\ndate: '2023-02-30'\n---\nText.\n"
              for n in range(250)}
    root = make_site(broken)
    code = main(["build", "-q", "--no-cache", "--content", str(root), "--out", str(tmp_path / "build"), *theme_args()])
    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    located = [line for line in lines if line.startswith(str(root))]
    assert len(located) == 200 and all("bad-" in line and "2023-02-30" in line for line in located)
    assert lines[-3].startswith("… and 50 more errors")
    assert lines[-1] == "250 errors; nothing written, the output folder is unchanged."
    assert not (tmp_path / "build").exists()
    code = main(["check", "--format", "github", "--content", str(root), *theme_args()])
    assert sum(line.startswith("::error ") for line in capsys.readouterr().out.splitlines()) == 250


def test_verbose_build_says_how_much_it_rendered_and_how_much_it_reused(make_site, tmp_path, capsys):
    """``-v`` tells an editor what a rebuild cost: bodies and pages rendered against those reused (#13)."""
    root = make_site()
    argv = ["build", "-v", "--no-search", "--content", str(root), "--out", str(tmp_path / "build"),
            "--cache", str(tmp_path / ".cache"), "-j", "1", *theme_args()]
    assert main(argv) == 0
    first = capsys.readouterr().err + capsys.readouterr().out
    article = root / "articles" / "one.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert main(argv) == 0
    second = capsys.readouterr()
    second = second.err + second.out
    link_line = next(line for line in second.splitlines() if line.startswith("link"))
    render_line = next(line for line in second.splitlines() if line.startswith("render"))
    assert "1 body rendered, 1 from the cache" in link_line, link_line
    rendered = int(render_line.split()[1])
    assert 1 <= rendered < int(render_line.split(", ")[1].split()[0]), render_line
    assert " 0 from the cache" in next(line for line in first.splitlines() if line.startswith("link"))
