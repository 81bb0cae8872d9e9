"""A build with nothing changed does nothing; any change to an input or to the output builds (#13).

The no-change check compares the stat of every input and of every output file with what
the last build recorded in the cache. These tests change each kind of input in turn and
check that the next build is a real one giving the bytes of a clean build, and that a
build with nothing changed keeps the output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from karabakh_site.commands.build import build
from karabakh_site.commands.cli import main

from conftest import PROJECT, options_for
from test_build import digest_tree


@pytest.fixture
def project(tmp_path, monkeypatch) -> tuple[Path, Path, Path]:
    """A copy of the project's content, templates and static files, whose stat is trusted at once."""
    monkeypatch.setattr("karabakh_site.output.snapshot.RACY_NS", 0)
    content, theme, static = tmp_path / "content", tmp_path / "theme", tmp_path / "static"
    shutil.copytree(PROJECT / "content", content)
    shutil.copytree(PROJECT / "templates", theme)
    shutil.copytree(PROJECT / "static", static)
    return content, theme, static


def _options(project, tmp_path, **extra):
    content, theme, static = project
    extra.setdefault("cache_dir", tmp_path / ".cache")
    return options_for(content, tmp_path / "build", theme_templates=theme, static=static, **extra)


def _inodes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_a_build_with_nothing_changed_keeps_the_output_as_it_is(project, tmp_path):
    options = _options(project, tmp_path)
    first = build(options)
    before, inodes = digest_tree(options.out), _inodes(options.out)
    second = build(options)
    assert second.unchanged and not first.unchanged
    assert second.paths == first.paths
    assert digest_tree(options.out) == before
    assert _inodes(options.out) == inodes  # not even relinked: the very same files


EDITS = {
    "article text, same size": lambda c, t, s: _swap_letters(c / "articles" / "occupation-in-figures.md"),
    "chronology": lambda c, t, s: _append(c / "chronology.yaml", "\n# a comment\n"),
    "new page": lambda c, t, s: (c / "pages" / "extra.md").write_text(
        "---\ntitle: Extra\n---\nA page added after the first build.\n", encoding="utf-8"),
    "deleted page": lambda c, t, s: (c / "pages" / "about.md").unlink(),
    "template": lambda c, t, s: _append(t / "base.html", "\n"),
    "static file": lambda c, t, s: _append(s / "style.css", "\n/* edited */\n"),
    "touched only": lambda c, t, s: os.utime(c / "site.yaml"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_any_changed_input_builds_again_and_matches_a_clean_build(project, tmp_path, edit):
    options = _options(project, tmp_path)
    build(options)
    EDITS[edit](*project)
    report = build(options)
    assert not report.unchanged
    clean = _options(project, tmp_path / "clean")
    build(options_for(clean.content, tmp_path / "clean-out", theme_templates=clean.theme_templates,
                      static=clean.static))
    assert digest_tree(options.out) == digest_tree(tmp_path / "clean-out")
    assert build(options).unchanged  # and then it is up to date again


@pytest.mark.parametrize("damage", ["edited", "deleted", "added"])
def test_a_changed_output_folder_is_built_again(project, tmp_path, damage):
    options = _options(project, tmp_path)
    build(options)
    expected = digest_tree(options.out)
    page = options.out / "index.html"
    if damage == "edited":
        page.write_bytes(page.read_bytes().replace(b"<main", b"<main data-edited"))
    elif damage == "deleted":
        page.unlink()
    else:
        (options.out / "stray.html").write_text("not ours", encoding="utf-8")
    assert not build(options).unchanged
    assert digest_tree(options.out) == expected


def test_changed_options_build_again(project, tmp_path):
    options = _options(project, tmp_path)
    build(options)
    other = _options(project, tmp_path, base_url="https://example.org/archive/")
    assert not build(other).unchanged
    assert build(other).unchanged
    assert not build(options).unchanged


def test_files_saved_just_now_are_not_trusted_by_their_stat(project, tmp_path, monkeypatch):
    monkeypatch.setattr("karabakh_site.output.snapshot.RACY_NS", 3600 * 10**9)  # everything is "just saved"
    options = _options(project, tmp_path)
    build(options)
    assert not build(options).unchanged


def test_without_a_cache_every_build_is_a_real_one(project, tmp_path):
    options = _options(project, tmp_path, cache_dir=None)
    build(options)
    assert not build(options).unchanged


def test_the_command_line_says_the_output_is_up_to_date(project, tmp_path, capsys):
    content, theme, static = project
    argv = ["build", "--content", str(content), "--theme", str(theme), "--static", str(static),
            "--out", str(tmp_path / "build"), "--cache", str(tmp_path / ".cache"), "--no-search", "-q"]
    assert main(argv) == 0
    assert main(argv[:-1]) == 0
    assert "is up to date (nothing changed since the last build)" in capsys.readouterr().out


def _swap_letters(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    index = text.index("The table")
    path.write_text(text[:index] + "Teh table" + text[index + len("The table"):], encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_building_drafts_or_not_is_an_option_that_builds_again(project, tmp_path):
    options = _options(project, tmp_path)
    build(options)
    assert not build(_options(project, tmp_path, drafts=True)).unchanged
