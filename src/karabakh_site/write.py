"""Write the rendered site atomically: into a temporary folder beside build/, then swap.

This is the only module that touches the output folder. A failed build never gets
here, and a failure while writing leaves the previous output in place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from karabakh_site.errors import UsageError
from karabakh_site.link import STATIC_PREFIX


class UnsafeOutputPath(UsageError):
    """An output path would land outside the output folder."""


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, a folder the build reads from."""
    resolved = out.resolve()
    for folder in protected:
        folder = folder.resolve()
        if resolved == folder or folder.is_relative_to(resolved):
            raise UnsafeOutputPath(f"output folder {out} would overwrite {folder}; choose another --out")
    if out.exists() and not out.is_dir():
        raise UnsafeOutputPath(f"output path {out} exists and is not a folder")


def collect_static(static_dir: Path | None) -> dict[PurePosixPath, bytes]:
    """Read the theme's static files (CSS, images, scripts) to copy under static/."""
    if static_dir is None or not static_dir.is_dir():
        return {}
    files = {}
    for path in sorted(static_dir.rglob("*")):
        relative = path.relative_to(static_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[STATIC_PREFIX / PurePosixPath(relative.as_posix())] = path.read_bytes()
    return files


def digest_files(files: dict[PurePosixPath, bytes]) -> dict[PurePosixPath, bytes]:
    """A digest of each output file, to know next time which files did not change."""
    return {path: hashlib.blake2b(data, digest_size=20).digest() for path, data in files.items()}


def write_site(files: dict[PurePosixPath, bytes], out: Path,
               finish: Callable[[Path], object] | None = None,
               previous: dict[PurePosixPath, bytes] | None = None) -> dict[PurePosixPath, bytes]:
    """Write every file into a fresh folder beside ``out`` and swap it into place.

    ``finish`` runs on the complete new folder before the swap (the search indexer
    reads the written pages), so a failure there also leaves ``out`` untouched.
    ``previous`` (digests of the last build's files) lets a file whose bytes did not
    change be hard-linked from the old folder instead of written again (#8).
    Returns the digests of what was written, for the next build.
    """
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    digests = digest_files(files)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for output_path in sorted(files):
            if not (previous and previous.get(output_path) == digests[output_path]
                    and _link_unchanged(out, staging, output_path, len(files[output_path]))):
                _write_file(staging, output_path, files[output_path])
        if finish is not None:
            finish(staging)
        os.chmod(staging, 0o755)
        _swap(staging, out, background=len(files) > BACKGROUND_DELETE)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return digests


BACKGROUND_DELETE = 2000
"""Above this many files the replaced output is deleted by a detached process, off the
build's critical path (deleting 10,000 files takes longer than writing the changed ones)."""


def _link_unchanged(out: Path, staging: Path, output_path: PurePosixPath, size: int) -> bool:
    """Hard-link an unchanged file from the previous output; False when that is not possible."""
    target = _safe_target(staging, output_path)
    old = out.joinpath(*output_path.parts)
    try:
        if old.is_symlink() or old.stat().st_size != size:
            return False
        os.link(old, target)
    except OSError:
        return False
    return True


def _safe_target(root: Path, output_path: PurePosixPath) -> Path:
    """The file an output path names inside ``root``; refuse any path that would leave it."""
    target = root.joinpath(*output_path.parts)
    if (output_path.is_absolute() or ".." in output_path.parts or not output_path.parts
            or not target.resolve().is_relative_to(root.resolve())):
        raise UnsafeOutputPath(f"refusing to write {output_path!s}: outside the output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _write_file(root: Path, output_path: PurePosixPath, data: bytes) -> None:
    _safe_target(root, output_path).write_bytes(data)


def _swap(staging: Path, out: Path, background: bool = False) -> None:
    """Move the old output aside, move the new one in, then delete the old one."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    if background:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(retired)],
                         start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(retired, ignore_errors=True)


def update_site(files: dict[PurePosixPath, bytes], out: Path,
                previous: dict[PurePosixPath, bytes]) -> tuple[int, int]:
    """Bring a served output folder up to date in place: write changed files, remove stale ones.

    Used by ``serve`` between rebuilds. Each file is replaced atomically (written beside,
    then renamed), so a page being served is always either the old or the new version.
    Returns (files written, files removed).
    """
    out = out.absolute()
    written = 0
    for output_path in sorted(files):
        if previous.get(output_path) != files[output_path]:
            _replace_file(out, output_path, files[output_path])
            written += 1
    removed = [path for path in previous if path not in files]
    for output_path in sorted(removed):
        target = out.joinpath(*output_path.parts)
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, out)
    return written, len(removed)


def _replace_file(root: Path, output_path: PurePosixPath, data: bytes) -> None:
    target = _safe_target(root, output_path)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
