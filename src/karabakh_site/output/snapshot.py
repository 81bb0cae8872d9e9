"""What a build read and what it wrote, by the files' stat: a build with nothing changed does nothing.

The coarsest level of the dependency index (#13). After a successful build the cache
records a digest of every input's stat (content, templates, static files), of the options
and of the generator (its code and the libraries that shape its output), together with
the stat of every file the build left in the output folder. The next build into the same
folder compares both: when every input is as it was and the output folder is exactly
what the last build wrote, the output is already what a new build would write, and
nothing is read, rendered or written. Any difference (a saved file, a touched one, a file
added or removed under an input folder, a hand edit or deletion in the output) means a
real build, which then reuses what it can page by page.

Stat, not content: like make, ninja and Hugo's server, a file whose size, modification
time (in nanoseconds), inode and change time are unchanged is taken to be unchanged;
``touch`` on a file, or ``--no-cache``, forces a build.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from karabakh_site.cache import generator_digest

LIBRARIES = ("jinja2", "markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "pyyaml", "pagefind", "edtf",
             "anyascii", "rcssmin", "babel")
"""The libraries whose version can change the bytes of a page: part of the inputs."""


RACY_NS = 2_000_000_000
"""A file modified this close to the snapshot is not trusted by its stat: file times tick
coarsely (a few milliseconds, seconds on some file systems), so a second save within the
same tick would keep size and time (git's "racily clean" files)."""


def inputs_digest(folders: list[Path], settings: dict[str, object]) -> str | None:
    """A digest of every file's stat under ``folders`` (followed through links), the build's
    ``settings`` (whatever else changes the output: base URL, search, ...) and the generator;
    None when a file changed too recently for its stat to be trusted (``RACY_NS``)."""
    started = time.time_ns()
    newest = 0
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([generator_digest(), _library_versions(), settings], sort_keys=True,
                             default=str).encode())
    for folder in folders:
        digest.update(b"\0folder\0" + os.fsencode(os.path.abspath(folder)))
        for path, stat in _walk(Path(folder), follow=True):
            digest.update(b"\0%s\0%d %d %d %d %d" % (os.fsencode(path), stat.st_size, stat.st_mtime_ns,
                                                     stat.st_ino, stat.st_ctime_ns, stat.st_mode))
            newest = max(newest, stat.st_mtime_ns, stat.st_ctime_ns)
    return digest.hexdigest() if newest < started - RACY_NS else None


def output_state(out: Path) -> dict[str, list[int]]:
    """Every file of an output folder with its size, modification time and inode.

    The change time is left out: hard links taken by the next build and the detached
    deletion of a replaced output change it without changing the file.
    """
    return {path: [stat.st_size, stat.st_mtime_ns, stat.st_ino] for path, stat in _walk(out, follow=False)}


@dataclass(frozen=True)
class LastBuild:
    """The record a successful build leaves in the cache for one output folder."""

    inputs: str
    """``inputs_digest`` of what it read."""
    outputs: dict[str, list[int]]
    """``output_state`` of the folder it left."""
    paths: tuple[str, ...]
    """The files it reports (the output without its manifest and search index)."""

    def to_json(self) -> str:
        return json.dumps({"inputs": self.inputs, "outputs": self.outputs, "paths": self.paths},
                          separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "LastBuild | None":
        """The record, or None when it is not one this version wrote."""
        try:
            data = json.loads(text)
            return cls(str(data["inputs"]), {str(k): list(v) for k, v in data["outputs"].items()},
                       tuple(map(str, data["paths"])))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def is_current(self, inputs: str, out: Path) -> bool:
        """Whether a build of ``inputs`` into ``out`` would change nothing."""
        return self.inputs == inputs and self.outputs == output_state(out)

    @property
    def report_paths(self) -> tuple[PurePosixPath, ...]:
        return tuple(PurePosixPath(path) for path in self.paths)


def _walk(folder: Path, follow: bool):
    """(path relative to ``folder``, stat) of every file below it, in a stable order."""
    if not folder.is_dir():
        return
    pending, seen = [""], set()
    while pending:
        relative = pending.pop()
        where = os.stat(os.path.join(folder, relative))
        if (where.st_dev, where.st_ino) in seen:
            continue  # a link back to a folder already walked
        seen.add((where.st_dev, where.st_ino))
        try:
            entries = sorted(os.scandir(os.path.join(folder, relative)), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            path = f"{relative}/{entry.name}" if relative else entry.name
            try:
                if entry.is_dir(follow_symlinks=follow):
                    pending.append(path)
                    continue
                stat = entry.stat(follow_symlinks=follow)
            except OSError:
                continue  # a dangling link: the load stage reports it
            yield path, stat


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    return versions
