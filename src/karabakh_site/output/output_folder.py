"""The output folder's safety: which folder may be replaced, by whom, and how.

A build replaces its output folder as a whole, so the one thing it must never do is
replace the wrong folder (the content, the theme, the project) or a folder it did not
make. Two builds into one folder must not interleave, and a build killed at any
moment must leave either the old or the new output in place, with its leftovers
cleaned up by the next build (#11).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from karabakh_site.errors import UsageError

MANIFEST = ".karabakh-site.json"
"""The file inside every output folder this generator made: the digest of each file it wrote.

Its presence marks the folder as ours (so it may be replaced); its digests tell the next
build which old files may be reused, and only after their bytes are compared."""

STAGING, RETIRED = "new", "old"
"""Name parts of the folders beside the output: ``.build.new-*`` (being written) and
``.build.old-*`` (the replaced output, being deleted)."""


class UnsafeOutputPath(UsageError):
    """An output folder or path that would overwrite something else."""


def check_output_folder(out: Path, protected: list[Path], project_root: Path, force: bool = False) -> None:
    """Refuse an output folder that overlaps a folder the build reads, or that is not ours.

    ``protected`` folders (content, theme, templates, static, cache) may not be the output,
    lie inside it or contain it; the project root may not be the output or lie inside it.
    Paths are compared after resolving symlinks, so a link cannot smuggle the content in.
    """
    resolved = out.resolve()
    for folder in protected:
        folder_resolved = folder.resolve()
        if _overlap(resolved, folder_resolved):
            raise UnsafeOutputPath(f"output folder {out} overlaps {folder}, which the build reads; "
                                   "choose another --out")
    root = project_root.resolve()
    if root.is_relative_to(resolved):
        raise UnsafeOutputPath(f"output folder {out} would replace the project folder {root}; choose another --out")
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeOutputPath(f"output path {out} exists and is not a folder; remove it or choose another --out")
    if not force and resolved.is_dir() and not is_generated(resolved) and any(resolved.iterdir()):
        raise UnsafeOutputPath(f"{out} is not a karabakh-site output folder; remove it or choose another "
                               "(--force replaces it anyway)")


def _overlap(first: Path, second: Path) -> bool:
    return first == second or first.is_relative_to(second) or second.is_relative_to(first)


def is_generated(folder: Path) -> bool:
    """Whether ``folder`` holds this generator's manifest, i.e. was written by a build."""
    manifest = folder / MANIFEST
    return manifest.is_file() and not manifest.is_symlink()


@contextlib.contextmanager
def folder_lock(folder: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (an advisory ``flock`` on the folder itself).

    Locking the folder, not a lock file, writes nothing: the lock dies with the process
    that holds it, so a killed build never leaves a stale lock behind.
    """
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"karabakh-site: waiting for another build using {what} to finish", file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def leftover_folders(out: Path) -> list[Path]:
    """The staging and retired folders that builds into ``out`` left beside it."""
    prefixes = tuple(f".{out.name}.{kind}-" for kind in (STAGING, RETIRED))
    if not out.parent.is_dir():
        return []
    return sorted(path for path in out.parent.iterdir()
                  if path.name.startswith(prefixes) and path.is_dir() and not path.is_symlink())


def recover_leftovers(out: Path) -> None:
    """Clean up after killed builds: restore a lost output, delete half-written folders.

    Only the fallback swap (two renames) has a moment without an output; a build killed
    there left the old output in a retired folder, which is moved back.
    """
    leftovers = leftover_folders(out)
    retired = [path for path in leftovers if path.name.startswith(f".{out.name}.{RETIRED}-")]
    if not out.exists() and retired:
        newest = max(retired, key=lambda path: path.stat().st_mtime_ns)
        newest.rename(out)
        leftovers.remove(newest)
    for folder in leftovers:
        shutil.rmtree(folder, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> Path | None:
    """Put the complete ``staging`` folder in place of ``out``; return the replaced folder.

    On Linux the two folders are exchanged by one ``renameat2(RENAME_EXCHANGE)``, so at
    every moment ``out`` is either the whole old or the whole new output. Elsewhere, two
    renames leave a moment without ``out``, which ``recover_leftovers`` repairs.
    """
    kill_here("staged")
    if not out.exists():
        staging.rename(out)
        return None
    if _exchange(staging, out):
        kill_here("swapped")
        return staging
    retired = staging.with_name(staging.name.replace(f".{STAGING}-", f".{RETIRED}-", 1))
    out.rename(retired)
    kill_here("moved-aside")
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    kill_here("swapped")
    return retired


RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two folders; False where the system cannot."""
    if os.environ.get(SWAP_ENV) == "rename" or not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


KILL_ENV = "KARABAKH_SITE_TEST_KILL_AT"
"""Test hook: kill the build with SIGKILL at the named point of the swap (``staged``,
``moved-aside``, ``swapped``), to prove a kill there loses nothing."""
SWAP_ENV = "KARABAKH_SITE_TEST_SWAP"
"""Test hook: ``rename`` forces the two-rename swap used where an exchange is impossible."""


def kill_here(point: str) -> None:
    """Die at ``point`` when a test asks for it (see KILL_ENV); otherwise do nothing."""
    if os.environ.get(KILL_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)
