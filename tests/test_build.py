"""Whole-build promises: atomic replacement, determinism, nothing written outside build/."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from karabakh_site.commands.build import build
from karabakh_site.errors import BuildFailed
from karabakh_site.output.output_folder import MANIFEST
from karabakh_site.output.write import UnsafeOutputPath, write_site
from pathlib import PurePosixPath

from conftest import FIXTURE_SITE, PROJECT, options_for


def digest_tree(root: Path, skip: str = "") -> dict[str, str]:
    """sha256 of every file by path; paths starting with ``skip`` are left out."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not (skip and p.relative_to(root).as_posix().startswith(skip))}


def test_failed_build_leaves_previous_output_untouched(make_site, tmp_path):
    out = tmp_path / "build"
    good = make_site()
    build(options_for(good, out))
    before = digest_tree(out)
    (good / "articles" / "one.md").write_text("---\ntitle: [broken\n---\n")
    with pytest.raises(BuildFailed):
        build(options_for(good, out))
    assert digest_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site0"]


def test_successful_rebuild_replaces_output_and_removes_stale_files(make_site, tmp_path):
    out = tmp_path / "build"
    root = make_site({"articles/two.md": "---\ntitle: Two\nsource: {name: X}\n---\n"})
    build(options_for(root, out))
    assert (out / "articles" / "two" / "index.html").is_file()
    (root / "articles" / "two.md").unlink()
    build(options_for(root, out))
    assert not (out / "articles" / "two").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site0"]


def run_build(out: Path, env_extra: dict[str, str]) -> None:
    env = {**os.environ, **env_extra}
    subprocess.run(
        [sys.executable, "-m", "karabakh_site", "build", "--quiet", "--content", str(PROJECT / "content"),
         "--out", str(out), "--theme", str(PROJECT / "templates"), "--static", str(PROJECT / "static")],
        check=True, env=env, cwd=out.parent,
    )


def test_two_builds_are_byte_identical_across_hash_seeds_and_time_zones(tmp_path):
    first, second = tmp_path / "a" / "build", tmp_path / "b" / "build"
    first.parent.mkdir()
    second.parent.mkdir()
    run_build(first, {"PYTHONHASHSEED": "1", "TZ": "UTC"})
    run_build(second, {"PYTHONHASHSEED": "2", "TZ": "Asia/Baku"})
    # Pagefind's own index varies between runs (file names of its filter shards); the
    # issue allows that, and only that, to differ.
    assert digest_tree(first, skip="pagefind/") == digest_tree(second, skip="pagefind/")
    assert len(digest_tree(first, skip="pagefind/")) > 20
    assert (first / "pagefind" / "pagefind-entry.json").is_file()


def test_output_folder_may_not_contain_the_content(tmp_path):
    with pytest.raises(UnsafeOutputPath):
        build(options_for(FIXTURE_SITE, FIXTURE_SITE.parent))


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../escape.html"])
def test_writer_refuses_paths_outside_the_output(tmp_path, bad):
    with pytest.raises(UnsafeOutputPath):
        write_site({PurePosixPath(bad): b"x"}, tmp_path / "build")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_every_written_file_is_inside_the_output(tmp_path):
    out = tmp_path / "out" / "build"
    report = build(options_for(FIXTURE_SITE, out))
    written = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    assert written and all(p.is_relative_to(out.resolve()) for p in written)
    assert len(written) == len(report.paths) + 1  # and the manifest that marks the folder as ours
    assert (out / MANIFEST).is_file()
