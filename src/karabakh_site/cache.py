"""Fingerprints of a page's inputs, so a rebuild renders only the pages whose inputs changed.

A page's inputs are exactly the values handed to its template (templates see nothing else:
no global site object), plus the theme (templates, strings, static files). Two builds that
give a page equal inputs give it equal bytes, so a page with an unchanged fingerprint can
reuse its previous output. Fingerprints may over-invalidate (re-render a page that would not
have changed); they never under-invalidate.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import pickle
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


def fingerprint(value: object, memo: dict[int, bytes] | None = None) -> bytes:
    """A digest of a value built from dataclasses, containers and plain values.

    ``memo`` caches the digest of each dataclass instance by identity within one build:
    the same Article appears on many pages and is hashed once.
    """
    digest = hashlib.blake2b(digest_size=20)
    _feed(digest, value, {} if memo is None else memo)
    return digest.digest()


def _feed(digest, value: object, memo: dict[int, bytes]) -> None:
    if value is None or isinstance(value, (bool, int, float)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, str):
        digest.update(b"s%d:" % len(value.encode()) + value.encode())
    elif isinstance(value, bytes):
        digest.update(b"b%d:" % len(value) + value)
    elif isinstance(value, (PurePosixPath, datetime.date)):
        digest.update(f"{type(value).__name__}:{value};".encode())
    elif dataclasses.is_dataclass(value):
        digest.update(_dataclass_digest(value, memo))
    elif isinstance(value, Mapping):
        digest.update(b"{")
        for key, item in value.items():
            _feed(digest, key, memo)
            _feed(digest, item, memo)
        digest.update(b"}")
    elif isinstance(value, (tuple, list)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item, memo)
        digest.update(b"]")
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}; give templates plain data")


def _dataclass_digest(value: object, memo: dict[int, bytes]) -> bytes:
    key = id(value)
    if key not in memo:
        inner = hashlib.blake2b(type(value).__qualname__.encode(), digest_size=20)
        for item in dataclasses.fields(value):
            inner.update(item.name.encode())
            _feed(inner, getattr(value, item.name), memo)
        memo[key] = inner.digest()
    return memo[key]


def theme_fingerprint(template_dirs: list[Path], static_files: Mapping[PurePosixPath, bytes]) -> bytes:
    """A digest of every template, strings file and static file the pages may use."""
    digest = hashlib.blake2b(digest_size=20)
    for folder in template_dirs:
        digest.update(str(folder).encode())
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted(static_files):
        digest.update(str(path).encode() + b"\0" + static_files[path])
    return digest.digest()


CACHE_FORMAT = 2  # 2: the output manifest moved into the output folder (#11)


@dataclass
class BuildCache:
    """What a build keeps on disk (``.cache/``) for the next: safe to delete, never stale.

    Every entry is found by a digest of everything that made it (the content, the theme,
    the generator's version), so an entry can only be reused for identical inputs.
    """

    bodies: dict[bytes, object] = field(default_factory=dict)
    """Digest of a body's inputs -> its RenderedBody."""
    pages: "RenderCache" = field(default_factory=lambda: RenderCache())
    used_bodies: set[bytes] = field(default_factory=set)
    """Body digests this build used; the others are dropped on save."""

    FILE = "karabakh-site.pickle"

    @classmethod
    def load(cls, folder: Path | None) -> "BuildCache":
        """Read the cache, or start empty when it is missing, old or unreadable."""
        if folder is None or not (folder / cls.FILE).is_file():
            return cls()
        try:
            with open(folder / cls.FILE, "rb") as stream:
                stamp, data = pickle.load(stream)
        except Exception:  # a damaged or foreign cache is only a cold start, never an error
            return cls()
        if stamp != _stamp():
            return cls()
        return cls(bodies=data["bodies"], pages=RenderCache(entries=data["pages"]))

    def save(self, folder: Path | None) -> None:
        """Write the cache atomically, keeping only entries this build used.

        The caller holds the cache folder's lock; the temporary file still gets a name of
        its own, and files left by a killed build are removed first.
        """
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob(f"{self.FILE}.*.tmp"):
            leftover.unlink(missing_ok=True)
        data = {"bodies": {k: v for k, v in self.bodies.items() if k in self.used_bodies},
                "pages": self.pages.entries}
        descriptor, temporary = tempfile.mkstemp(prefix=f"{self.FILE}.", suffix=".tmp", dir=folder)
        try:
            with open(descriptor, "wb") as stream:
                pickle.dump((_stamp(), data), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / self.FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _stamp() -> tuple:
    from karabakh_site import __version__

    return (CACHE_FORMAT, __version__, GENERATOR_DIGEST)


def _generator_digest() -> str:
    """A digest of the generator's own code: a changed generator never reuses old output."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


GENERATOR_DIGEST = _generator_digest()


@dataclass
class RenderCache:
    """What each output was rendered from, and its text, kept between builds in one process."""

    entries: dict[PurePosixPath, tuple[bytes, str]] = field(default_factory=dict)
    rendered: list[PurePosixPath] = field(default_factory=list)
    """The outputs the last build rendered (the others were reused)."""

    def lookup(self, path: PurePosixPath, key: bytes) -> str | None:
        entry = self.entries.get(path)
        return entry[1] if entry and entry[0] == key else None

    def store(self, path: PurePosixPath, key: bytes, text: str) -> None:
        self.entries[path] = (key, text)
        self.rendered.append(path)
