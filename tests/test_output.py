"""The output folder is never stale, never the wrong folder, and always whole (#11).

Each scenario here published stale pages, deleted content or lost the output before
the manifest moved into the output folder, reuse required equal bytes, the output
folder was checked against every folder the build reads, and the swap became one
atomic exchange with leftovers recovered by the next build.
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from karabakh_site.commands.build import build, prepare_site
from karabakh_site.cache import BuildCache
from karabakh_site.commands.cli import main
from karabakh_site.output.output_folder import KILL_ENV, MANIFEST, SWAP_ENV, folder_lock, leftover_folders
from karabakh_site.parallel import map_in_processes
from karabakh_site.commands.serve import PreviewState, rebuild
from karabakh_site.output.write import read_manifest

from conftest import PROJECT, STATIC, THEME, options_for
from test_build import digest_tree

ORIGINAL, EDITED = "Body of one.", "Body of onu."  # same size: a size check cannot tell them apart
PAGE = "articles/one/index.html"


@pytest.fixture
def site(make_site) -> Path:
    return make_site()


def edit(content: Path, old: str, new: str) -> None:
    path = content / "articles" / "one.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def clean(content: Path, tmp_path: Path) -> dict[str, str]:
    """The output of a build from scratch: no cache, no previous output."""
    out = tmp_path / f"clean-{time.monotonic_ns()}" / "build"
    build(options_for(content, out))
    return digest_tree(out)


# --- Stale output: (a)-(d) of the issue, each byte-identical to a clean build -------------

def test_a_serve_then_revert_then_build(site, tmp_path):
    out, cache_dir = tmp_path / "build", tmp_path / ".cache"
    options = options_for(site, out, cache_dir=cache_dir)
    state = PreviewState()
    state.files = build(options, state.cache, keep_files=True).files  # what `serve` does at start
    edit(site, ORIGINAL, EDITED)
    rebuild(options, state)  # `serve` writes the edited page in place
    assert EDITED in (out / PAGE).read_text()
    edit(site, EDITED, ORIGINAL)  # reverted after serve stopped
    build(options)
    assert ORIGINAL in (out / PAGE).read_text()
    assert digest_tree(out) == clean(site, tmp_path)


def test_serve_updates_a_folder_another_build_replaced(site, tmp_path):
    out = tmp_path / "build"
    options = options_for(site, out)
    state = PreviewState()
    state.files = build(options, state.cache, keep_files=True).files
    (site / "articles" / "two.md").write_text("---\ntitle: Two\nsource: {name: Outlet}\n---\nSecond.\n")
    build(options)  # another process builds into the served folder
    (site / "articles" / "two.md").unlink()
    edit(site, ORIGINAL, EDITED)
    rebuild(options, state)  # serve knows nothing of two.md, yet must not leave it behind
    assert digest_tree(out) == clean(site, tmp_path)


def test_b_build_without_cache_between_cached_builds(site, tmp_path):
    out, cache_dir = tmp_path / "build", tmp_path / ".cache"
    build(options_for(site, out, cache_dir=cache_dir))
    edit(site, ORIGINAL, EDITED)
    build(options_for(site, out))  # --no-cache
    edit(site, EDITED, ORIGINAL)
    build(options_for(site, out, cache_dir=cache_dir))
    assert ORIGINAL in (out / PAGE).read_text()
    assert digest_tree(out) == clean(site, tmp_path)


def test_c_two_output_folders_sharing_one_cache(site, tmp_path):
    first, second, cache_dir = tmp_path / "one" / "build", tmp_path / "two" / "build", tmp_path / ".cache"
    build(options_for(site, first, cache_dir=cache_dir))
    edit(site, ORIGINAL, EDITED)
    build(options_for(site, second, cache_dir=cache_dir))
    build(options_for(site, first, cache_dir=cache_dir))
    assert EDITED in (first / PAGE).read_text()
    assert digest_tree(first) == digest_tree(second) == clean(site, tmp_path)


def _build_in_child(options, env: dict[str, str]) -> int:
    """Run ``build`` in a forked child with ``env`` set; return its exit code (-9 when killed)."""
    def run():
        os.environ.update(env)
        build(options)
    child = multiprocessing.get_context("fork").Process(target=run)
    child.start()
    child.join(60)
    return child.exitcode


def test_d_kill_between_the_swap_and_the_cache_save(site, tmp_path):
    out, cache_dir = tmp_path / "build", tmp_path / ".cache"
    options = options_for(site, out, cache_dir=cache_dir)
    build(options)
    edit(site, ORIGINAL, EDITED)
    assert _build_in_child(options, {KILL_ENV: "swapped"}) == -signal.SIGKILL
    assert EDITED in (out / PAGE).read_text()  # the new output was in place, the cache not saved
    edit(site, EDITED, ORIGINAL)
    build(options)
    assert digest_tree(out) == clean(site, tmp_path)
    assert leftover_folders(out) == []


def test_a_hand_edited_output_file_is_not_reused(site, tmp_path):
    out = tmp_path / "build"
    options = options_for(site, out, cache_dir=tmp_path / ".cache")
    build(options)
    page = out / PAGE
    page.write_text(page.read_text().replace(ORIGINAL, EDITED))  # same size, manifest unchanged
    build(options)
    assert digest_tree(out) == clean(site, tmp_path)


def test_unchanged_files_are_linked_and_the_manifest_lists_every_file(site, tmp_path):
    out = tmp_path / "build"
    options = options_for(site, out)
    report = build(options)
    before = (out / "index.html").stat().st_ino
    build(options)
    assert (out / "index.html").stat().st_ino == before  # proven equal, so linked rather than written
    assert set(read_manifest(out)) == set(report.paths)


# --- Destructive --out ----------------------------------------------------------------

def _project(tmp_path: Path) -> Path:
    """A project folder: content, theme, static, cache, as `karabakh-site build` sees it."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "site", root / "content")
    shutil.copytree(THEME, root / "templates")
    shutil.copytree(STATIC, root / "static")
    (root / ".cache").mkdir()
    (root / ".cache" / "keep.txt").write_text("cache entry")
    return root


def _run_cli(root: Path, out: str, *extra: str) -> int:
    return main(["build", "--quiet", "--no-search", "--content", "content", "--out", out,
                 "--theme", "templates", "--static", "static",
                 "--cache", ".cache", *extra])


@pytest.mark.parametrize("out", [
    "content", "content/articles", ".", "..", "templates", "templates/strings", "static", "static/sub",
    ".cache", ".cache/build", "link-to-content", "link-to-content/articles",
])
def test_an_output_folder_overlapping_what_the_build_reads_is_refused(tmp_path, monkeypatch, capsys, out):
    root = _project(tmp_path)
    (root / "link-to-content").symlink_to(root / "content")
    monkeypatch.chdir(root)
    before = digest_tree(tmp_path)
    assert _run_cli(root, out) == 2
    assert "choose another --out" in capsys.readouterr().err
    assert digest_tree(tmp_path) == before


def test_a_folder_not_made_by_the_generator_is_never_replaced(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path)
    (root / "notes").mkdir()
    (root / "notes" / "draft.txt").write_text("my notes")
    monkeypatch.chdir(root)
    before = digest_tree(tmp_path)
    assert _run_cli(root, "notes") == 2
    assert "not a karabakh-site output folder; remove it or choose another" in capsys.readouterr().err
    assert digest_tree(tmp_path) == before
    assert _run_cli(root, "notes", "--force") == 0
    assert not (root / "notes" / "draft.txt").exists() and (root / "notes" / MANIFEST).is_file()


def test_an_empty_folder_and_our_own_output_may_be_replaced(tmp_path, monkeypatch):
    root = _project(tmp_path)
    (root / "site").mkdir()
    monkeypatch.chdir(root)
    assert _run_cli(root, "site") == 0
    assert _run_cli(root, "site") == 0
    assert (root / "site" / "index.html").is_file()


# --- The swap: always the old or the new output; leftovers cleaned; builds take turns ------

@pytest.fixture
def two_versions(site, tmp_path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """The site built once (the old output in build/), and the digests of old and new outputs."""
    old = clean(site, tmp_path)
    edit(site, ORIGINAL, EDITED)
    new = clean(site, tmp_path)
    edit(site, EDITED, ORIGINAL)
    build(options_for(site, tmp_path / "build"))
    edit(site, ORIGINAL, EDITED)
    return site, old, new


def _outcome(out: Path, old: dict[str, str], new: dict[str, str]) -> str:
    tree = digest_tree(out)
    assert tree in (old, new), "the output is neither the old nor the new build"
    return "old" if tree == old else "new"


@pytest.mark.parametrize("swap", ["exchange", "rename"])
@pytest.mark.parametrize("point", ["staged", "moved-aside", "swapped"])
def test_a_kill_inside_the_swap_leaves_old_or_new_and_the_next_build_cleans_up(two_versions, tmp_path, swap, point):
    site, old, new = two_versions
    out = tmp_path / "build"
    env = {KILL_ENV: point, **({SWAP_ENV: "rename"} if swap == "rename" else {})}
    for _ in range(20 // 6 + 1):  # 24 kills over the six cases
        code = _build_in_child(options_for(site, out), env)
        killed = code == -signal.SIGKILL
        assert killed or (point == "moved-aside" and swap == "exchange" and code == 0)
        if killed and not out.exists():  # only the two-rename swap has this moment
            assert point == "moved-aside" and swap == "rename"
        else:
            _outcome(out, old, new)
    build(options_for(site, out))
    assert digest_tree(out) == new
    assert leftover_folders(out) == []


def test_random_kills_leave_old_or_new_and_the_next_build_cleans_up(two_versions, tmp_path):
    site, old, new = two_versions
    out = tmp_path / "build"
    options = options_for(site, out, cache_dir=tmp_path / ".cache")
    chooser = random.Random(11)
    outcomes = set()
    for _ in range(20):
        child = multiprocessing.get_context("fork").Process(target=build, args=(options,))
        child.start()
        time.sleep(chooser.uniform(0, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        outcomes.add(_outcome(out, old, new))
        if chooser.random() < 0.3:  # sometimes a whole build in between, sometimes kill after kill
            build(options)
    build(options)
    assert digest_tree(out) == new
    assert leftover_folders(out) == []
    assert not list((tmp_path / ".cache").glob("*.tmp"))


def test_two_builds_into_one_output_take_turns(site, tmp_path):
    out = tmp_path / "build"
    build(options_for(site, out))
    edit(site, ORIGINAL, EDITED)
    with folder_lock(out.parent, "test"):
        waiting = threading.Thread(target=build, args=(options_for(site, out),))
        waiting.start()
        time.sleep(0.5)
        assert ORIGINAL in (out / PAGE).read_text()  # the second build waits for the lock
        assert leftover_folders(out) == []
    waiting.join(30)
    assert EDITED in (out / PAGE).read_text()


def test_concurrent_builds_into_one_output_and_cache_both_succeed(site, tmp_path):
    out, cache_dir = tmp_path / "build", tmp_path / ".cache"
    command = [sys.executable, "-m", "karabakh_site", "build", "--quiet", "--no-search", "--content", str(site),
               "--out", str(out), "--cache", str(cache_dir), "--theme", str(THEME), "--static", str(STATIC)]
    runs = [subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE) for _ in range(4)]
    for run in runs:
        _, error = run.communicate(timeout=120)
        assert run.returncode == 0, error.decode()
    assert digest_tree(out) == clean(site, tmp_path)
    assert leftover_folders(out) == []


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux's")
def test_workers_die_with_a_killed_build(monkeypatch):
    monkeypatch.setattr("karabakh_site.parallel.MIN_ITEMS", 1)
    parent = multiprocessing.get_context("fork").Process(target=map_in_processes, args=(time.sleep, [60] * 8, 2))
    parent.start()
    deadline = time.monotonic() + 10
    while len(_children(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(parent.pid)
    assert len(workers) == 2
    os.kill(parent.pid, signal.SIGKILL)
    parent.join()
    deadline = time.monotonic() + 2
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers))


def test_a_damaged_cache_is_a_cold_start(site, tmp_path):
    cache_dir = tmp_path / ".cache"
    cache_dir.mkdir()
    (cache_dir / BuildCache.FILE).write_bytes(b"SQLite format 3\0 torn by a killed build")
    build(options_for(site, tmp_path / "build", cache_dir=cache_dir))
    assert digest_tree(tmp_path / "build") == clean(site, tmp_path)
    build(options_for(site, tmp_path / "build", cache_dir=cache_dir))  # and the new cache works
    assert digest_tree(tmp_path / "build") == clean(site, tmp_path)


def test_the_cache_holds_data_only_and_a_planted_pickle_never_runs(site, tmp_path):
    """A tampered .cache/ must not run code (#13): rows are JSON, decoded into known dataclasses only."""
    cache_dir, marker = tmp_path / ".cache", tmp_path / "ran"
    options = options_for(site, tmp_path / "build", cache_dir=cache_dir)
    build(options)
    connection = sqlite3.connect(cache_dir / BuildCache.FILE)
    rows = connection.execute("SELECT key, data FROM bodies").fetchall()
    assert rows and all(json.loads(data)["@"] == "RenderedBody" for _, data in rows)
    payload = pickle.dumps(_Runs(str(marker)))
    connection.executemany("UPDATE bodies SET data = ? WHERE key = ?", [(payload, key) for key, _ in rows])
    connection.execute("UPDATE bodies SET data = ? WHERE rowid = 1", ('{"@": "os.system", "command": "touch x"}',))
    connection.commit()
    connection.close()
    build(options)
    assert not marker.exists()
    assert digest_tree(tmp_path / "build") == clean(site, tmp_path)


class _Runs:
    """Pickled, would create a file when loaded by pickle."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_prepare_site_writes_nothing(site, tmp_path):
    prepare_site(options_for(site, tmp_path / "build"))
    assert not (tmp_path / "build").exists()
