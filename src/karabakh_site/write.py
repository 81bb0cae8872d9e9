"""Write the rendered site atomically: into a temporary folder beside build/, then swap.

This is the only module that touches the output folder. A failed build never gets
here, and a failure while writing leaves the previous output in place.
"""

from __future__ import annotations

import os
import shutil
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


def write_site(files: dict[PurePosixPath, bytes], out: Path,
               finish: Callable[[Path], object] | None = None) -> None:
    """Write every file into a fresh folder beside ``out`` and swap it into place.

    ``finish`` runs on the complete new folder before the swap (the search indexer
    reads the written pages), so a failure there also leaves ``out`` untouched.
    """
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for output_path in sorted(files):
            _write_file(staging, output_path, files[output_path])
        if finish is not None:
            finish(staging)
        os.chmod(staging, 0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_file(root: Path, output_path: PurePosixPath, data: bytes) -> None:
    if output_path.is_absolute() or ".." in output_path.parts or not output_path.parts:
        raise UnsafeOutputPath(f"refusing to write {output_path!s}: outside the output folder")
    target = root.joinpath(*output_path.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafeOutputPath(f"refusing to write {output_path!s}: outside the output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _swap(staging: Path, out: Path) -> None:
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
    if output_path.is_absolute() or ".." in output_path.parts or not output_path.parts:
        raise UnsafeOutputPath(f"refusing to write {output_path!s}: outside the output folder")
    target = root.joinpath(*output_path.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
