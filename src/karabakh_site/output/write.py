"""Write the rendered site atomically: into a temporary folder beside build/, then swap.

This is the only module that writes the output folder (``output_folder`` decides which
folder may be replaced and how it is swapped). A failed build never gets here, and a
failure while writing leaves the previous output in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from karabakh_site.output.output_folder import (MANIFEST, STAGING, UnsafeOutputPath, is_generated, recover_leftovers,
                                         swap_in)


def write_site(files: dict[PurePosixPath, bytes], out: Path,
               finish: Callable[[Path], object] | None = None) -> None:
    """Write every file into a fresh folder beside ``out`` and swap it into place (see ``Staging``)."""
    with Staging(out) as staging:
        for output_path in sorted(files):
            staging.put(output_path, files[output_path])
        staging.commit(finish)


class Staging:
    """A new output being written beside ``out``: files go in as they are made, then one swap.

    Pages are written as they are rendered (#13: memory grows with the model, not with the
    output), yet the swap stays atomic: until ``commit`` nothing of ``out`` changes, and
    leaving the ``with`` block without committing (an error, a template problem) deletes
    the half-written folder. A file of the previous output is hard-linked instead of
    written again only when its bytes are proven equal to the new ones (#8, #11): the
    manifest inside the old output says which files may match, and the old file's bytes
    are compared (``put``) or hashed (``reuse``) before it is linked, so hand edits,
    ``serve``'s in-place updates or another build's output never leak into this one.
    The caller holds the output folder's lock.
    """

    def __init__(self, out: Path, left_as: Mapping[str, Sequence[int]] | None = None):
        self.out = out.absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover_leftovers(self.out)
        self.previous = read_manifest(self.out)
        self.left_as = left_as or {}
        """Each file of the old output with the (size, mtime_ns, inode) the last build left it with
        (``snapshot.output_state``): a file still so is the one the manifest describes, and is
        linked without reading it (#13: hashing 360 MB of unchanged pages took seconds)."""
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.{STAGING}-", dir=self.out.parent))
        self.folder_name = str(self.folder)
        self.folders_made: set[str] = set()
        """The folders ``_staged_name`` made in the staging folder, by name."""
        self.digests: dict[PurePosixPath, str] = {}
        self.committed = False

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        if not self.committed:
            shutil.rmtree(self.folder, ignore_errors=True)

    def put(self, output_path: PurePosixPath, data: bytes) -> str:
        """Add one file; return the digest of its bytes."""
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        if not (self.previous.get(output_path) == digest and _link_equal(self.out, self.folder, output_path, data)):
            with open(self._staged_name(output_path, str(output_path)), "wb") as file:
                file.write(data)
        self.digests[output_path] = digest
        return digest

    def reuse(self, output_path: PurePosixPath, digest: str) -> bool:
        """Link the old output's file when its bytes have ``digest``; False when they have not.

        For a page whose inputs are unchanged: the cache says which bytes they give, and
        the old file is hashed to prove it holds exactly those bytes.
        """
        if self.previous.get(output_path) != digest:
            return False
        name = str(output_path)
        old = os.path.join(self.out, name)
        try:
            found = os.lstat(old)
            if not stat.S_ISREG(found.st_mode):
                return False
            if [found.st_size, found.st_mtime_ns, found.st_ino] != self.left_as.get(name):
                with open(old, "rb") as file:
                    if hashlib.blake2b(file.read(), digest_size=20).hexdigest() != digest:
                        return False
            os.link(old, self._staged_name(output_path, name))
        except OSError:
            return False
        self.digests[output_path] = digest
        return True

    def _staged_name(self, output_path: PurePosixPath, name: str) -> str:
        """Where ``output_path`` (``name`` as a string) goes in the staging folder, its folder made.

        This build made the staging folder empty and alone writes into it, folders only: no
        link inside it can lead out, so the path's own parts are checked and each folder is
        made once, by string paths, without resolving 14,000 paths through the disk (#13:
        pathlib's objects took 2 s of a one-document edit at N = 10,000)."""
        _refuse_leaving(output_path)
        target = os.path.join(self.folder_name, name)
        parent = os.path.dirname(target)
        if parent not in self.folders_made:
            try:
                os.mkdir(parent)  # its parent is mostly made already: a third faster than makedirs
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            self.folders_made.add(parent)
        return target

    def commit(self, finish: Callable[[Path], object] | None = None) -> None:
        """Write the manifest, run ``finish`` on the complete folder (the search index), swap."""
        _write_file(self.folder, PurePosixPath(MANIFEST), manifest_bytes(self.digests))
        if finish is not None:
            finish(self.folder)
        os.chmod(self.folder, 0o755)
        replaced = swap_in(self.folder, self.out)
        self.committed = True
        if replaced is not None:
            _delete(replaced, background=len(self.digests) > BACKGROUND_DELETE)


def digest_files(files: dict[PurePosixPath, bytes]) -> dict[PurePosixPath, str]:
    """A digest of each output file, recorded in the manifest for the next build."""
    return {path: hashlib.blake2b(data, digest_size=20).hexdigest() for path, data in files.items()}


def manifest_bytes(digests: dict[PurePosixPath, str]) -> bytes:
    """The manifest's text: sorted, so the same output always gives the same bytes."""
    listing = dict(sorted((str(path), digest) for path, digest in digests.items()))
    # One entry a line, as the standard library's C encoder writes it (indent= would use the
    # Python one: 0.1 s per manifest at 14,000 files, paid by each of serve's previews).
    return (json.dumps({"generator": "karabakh-site", "format": MANIFEST_FORMAT, "files": listing},
                       separators=(",\n", ": "), ensure_ascii=False) + "\n").encode("utf-8")


MANIFEST_FORMAT = 1


def read_manifest(out: Path) -> dict[PurePosixPath, str]:
    """The digests the manifest inside ``out`` records; empty when there is none or it is damaged."""
    if not is_generated(out):
        return {}
    try:
        data = json.loads((out / MANIFEST).read_bytes())
        if data.get("generator") == "karabakh-site" and data.get("format") == MANIFEST_FORMAT:
            return {PurePosixPath(path): str(digest) for path, digest in data["files"].items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass  # a damaged manifest only means nothing is reused
    return {}


BACKGROUND_DELETE = 2000
"""Above this many files the replaced output is deleted by a detached process, off the
build's critical path (deleting 10,000 files takes longer than writing the changed ones)."""


def _link_equal(out: Path, staging: Path, output_path: PurePosixPath, data: bytes) -> bool:
    """Hard-link the old file when its bytes equal ``data``; False when not equal or not possible."""
    old = out.joinpath(*output_path.parts)
    try:
        if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, _safe_target(staging, output_path))
    except OSError:
        return False
    return True


def _delete(folder: Path, background: bool) -> None:
    """Delete a replaced output; a large one by a detached process (the next build finishes the job if it dies)."""
    if background:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(folder)],
                         start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _refuse_leaving(output_path: PurePosixPath) -> None:
    """An output path must name a file below the output folder by its own parts."""
    if output_path.is_absolute() or ".." in output_path.parts or not output_path.parts:
        raise UnsafeOutputPath(f"refusing to write {output_path!s}: outside the output folder")


def _safe_target(root: Path, output_path: PurePosixPath) -> Path:
    """The file an output path names inside ``root``, its folder made; refuse any path that
    would leave it, by its parts or through a link on the disk."""
    _refuse_leaving(output_path)
    target = root.joinpath(*output_path.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafeOutputPath(f"refusing to write {output_path!s}: outside the output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _write_file(root: Path, output_path: PurePosixPath, data: bytes) -> None:
    _safe_target(root, output_path).write_bytes(data)


def update_site(files: dict[PurePosixPath, bytes], out: Path, previous: dict[PurePosixPath, bytes],
                previous_digests: dict[PurePosixPath, str] | None = None
                ) -> tuple[int, int, dict[PurePosixPath, str]]:
    """Bring a served output folder up to date in place: write changed files, remove stale ones.

    Used by ``serve`` between rebuilds, holding the output folder's lock. Each file is
    replaced atomically (written beside, then renamed: a hard link shared with an older
    output is never written through), so a page being served is always either the old or
    the new version; the manifest is rewritten last. If the folder is not the one
    ``previous`` describes (another build replaced it), every file is written.
    ``previous_digests`` (what the last call returned) spares hashing unchanged files again.
    Returns (files written, files removed, the digests now in the manifest).
    """
    out = out.absolute()
    if previous_digests is None:
        previous_digests = digest_files(previous)
    on_disk = (out / MANIFEST).read_bytes() if is_generated(out) else b""
    if on_disk != manifest_bytes(previous_digests):
        previous = dict.fromkeys(read_manifest(out), b"")  # unknown bytes: rewrite all, remove what it lists
        previous_digests = {}
    written, digests = 0, {}
    for output_path in sorted(files):
        data = files[output_path]
        unchanged = previous.get(output_path) == data
        if not unchanged:
            _replace_file(out, output_path, data)
            written += 1
        known = previous_digests.get(output_path) if unchanged else None
        digests[output_path] = known or hashlib.blake2b(data, digest_size=20).hexdigest()
    removed = [path for path in previous if path not in files]
    for output_path in sorted(removed):
        target = _safe_target(out, output_path)
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, out)
    _replace_file(out, PurePosixPath(MANIFEST), manifest_bytes(digests))
    return written, len(removed), digests


def _replace_file(root: Path, output_path: PurePosixPath, data: bytes) -> None:
    target = _safe_target(root, output_path)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
