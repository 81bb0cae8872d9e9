"""Cached, incremental and parallel builds give exactly the bytes of a clean sequential build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from karabakh_site.commands.build import build, prepare_site
from karabakh_site.cache import BuildCache
from karabakh_site.parallel import map_in_processes

from conftest import FIXTURE_SITE, PROJECT, options_for
from test_build import digest_tree


def clean_build(content: Path, out: Path, theme: Path) -> dict[str, str]:
    build(options_for(content, out, theme_templates=theme))
    return digest_tree(out)


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(PROJECT / "content", content)
    shutil.copytree(PROJECT / "templates", theme)
    return content, theme


def test_cached_builds_stay_identical_to_clean_builds_through_edits(project, tmp_path):
    content, theme = project
    cache_dir, out = tmp_path / ".cache", tmp_path / "build"
    options = options_for(content, out, theme_templates=theme, cache_dir=cache_dir)
    edits = [
        lambda: None,  # warm cache, no change
        lambda: _replace(theme / "article.html", "<article class=\"document\">", "<article class=\"document doc\">"),
        lambda: _replace(content / "chronology.yaml", "name: Kalbajar", "name: Kalbajar (Kəlbəcər)"),
        lambda: _replace(content / "articles" / "occupation-in-figures.md", "summary: \"The table", "summary: \"This table"),
        lambda: _replace(content / "pages" / "about.md", "title: About this archive", "title: About"),
    ]
    build(options)
    for number, edit in enumerate(edits):
        edit()
        build(options)  # reads and updates .cache/
        assert (cache_dir / BuildCache.FILE).is_file()
        assert digest_tree(out) == clean_build(content, tmp_path / f"clean{number}", theme), number


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_damaged_cache_is_a_cold_start(tmp_path):
    cache_dir = tmp_path / ".cache"
    cache_dir.mkdir()
    (cache_dir / BuildCache.FILE).write_bytes(b"not a pickle")
    assert BuildCache.load(cache_dir).bodies == {}


def test_parallel_rendering_equals_sequential(tmp_path, monkeypatch):
    monkeypatch.setattr("karabakh_site.parallel.MIN_ITEMS", 1)  # fork even for the small sample site
    sequential = prepare_site(options_for(FIXTURE_SITE, tmp_path / "a", workers=1))
    parallel = prepare_site(options_for(FIXTURE_SITE, tmp_path / "b", workers=2))
    assert parallel.files == sequential.files


def test_map_in_processes_keeps_order(monkeypatch):
    monkeypatch.setattr("karabakh_site.parallel.MIN_ITEMS", 1)
    assert map_in_processes(lambda n: n * n, list(range(50)), 2) == [n * n for n in range(50)]


def test_unchanged_files_are_hard_linked_from_the_previous_output(tmp_path):
    cache_dir, out = tmp_path / ".cache", tmp_path / "build"
    options = options_for(FIXTURE_SITE, out, cache_dir=cache_dir)
    build(options)
    before = (out / "index.html").stat().st_ino
    build(options)
    assert (out / "index.html").stat().st_ino == before  # the same file, linked, not rewritten


def test_a_fingerprint_memo_never_gives_a_freed_objects_digest_to_a_new_one():
    """Ids are reused once an object is freed; the memo must not mistake the new object for the old."""
    from dataclasses import dataclass

    from karabakh_site.cache import fingerprint

    @dataclass(frozen=True)
    class Item:
        text: str

    memo: dict = {}
    for number in range(200):
        fingerprint(Item(f"a page's pager {number}"), memo)  # freed at once: CPython gives its id to the next Item
        assert fingerprint(Item(f"another page's pager {number}"), memo) == fingerprint(Item(f"another page's pager {number}"))
