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
import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


def fingerprint(value: object, memo: dict | None = None) -> bytes:
    """A digest of a value built from dataclasses, containers and plain values.

    ``memo`` caches the digest of each dataclass instance by identity within one build
    (keeping the instance alive): the same Article appears on many pages and is hashed once.
    """
    digest = hashlib.blake2b(digest_size=20)
    _feed(digest.update, value, {} if memo is None else memo)
    return digest.digest()


def _feed(update, value: object, memo: dict) -> None:
    """Feed ``value`` to ``update``: each kind of value is written with its type and length,
    so two different values never write the same bytes.

    It runs millions of times per build (every value of every page), so the kind of each
    type is looked up once in ``_KINDS`` and strings, the commonest items, are written
    inline (#13: 2.6x faster than an ``isinstance`` chain per value)."""
    kind = _KINDS.get(type(value)) or _kind_of(type(value))
    if kind is _STR:
        data = value.encode()
        update(b"s%d:%b" % (len(data), data))
    elif kind is _SEQUENCE:
        update(b"[")
        for item in value:
            if type(item) is str:
                data = item.encode()
                update(b"s%d:%b" % (len(data), data))
            else:
                _feed(update, item, memo)
        update(b"]")
    elif kind is _DATACLASS:
        update(_dataclass_digest(value, memo))
    elif kind is _MAPPING:
        update(b"{")
        for key, item in value.items():
            _feed(update, key, memo)
            _feed(update, item, memo)
        update(b"}")
    elif kind is _DERIVED:
        update(b"derived")
        _feed(update, value.inputs, memo)
    elif kind is _SCALAR:
        update(f"{type(value).__name__}:{value!r};".encode())
    elif kind is _NAMED:
        update(f"{type(value).__name__}:{value};".encode())
    elif kind is _BYTES:
        update(b"b%d:%b" % (len(value), value))
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}; give templates plain data")


class Derived(dict):
    """A dict the generator computes from ``inputs`` alone (a page's JSON-LD): its
    fingerprint is theirs, which are few and mostly hashed already, instead of its hundred
    keys and values (#13). Templates see a plain dict."""

    def __init__(self, data: dict, inputs: tuple):
        super().__init__(data)
        self.inputs = inputs


_STR, _SEQUENCE, _DATACLASS, _MAPPING, _SCALAR, _NAMED, _BYTES, _DERIVED, _UNKNOWN = range(1, 10)
_KINDS: dict[type, int] = {}
"""Each type met so far -> how it is fingerprinted (never 0, so ``get(...) or`` works)."""
_FIELDS: dict[type, tuple[tuple[str, bytes], ...]] = {}
"""Each dataclass met so far -> its fields' names, as names and as bytes."""


def _kind_of(kind: type) -> int:
    """How values of ``kind`` are fingerprinted, decided once per type."""
    if kind is type(None) or issubclass(kind, (bool, int, float)):
        found = _SCALAR
    elif issubclass(kind, str):
        found = _STR
    elif issubclass(kind, bytes):
        found = _BYTES
    elif issubclass(kind, (PurePosixPath, datetime.date)):
        found = _NAMED
    elif dataclasses.is_dataclass(kind):
        found = _DATACLASS
        _FIELDS[kind] = tuple((f.name, f.name.encode()) for f in dataclasses.fields(kind))
    elif issubclass(kind, Derived):
        found = _DERIVED
    elif issubclass(kind, Mapping):
        found = _MAPPING
    elif issubclass(kind, (tuple, list)):
        found = _SEQUENCE
    else:
        found = _UNKNOWN
    _KINDS[kind] = found
    return found


def _dataclass_digest(value: object, memo: dict[int, tuple[object, bytes]]) -> bytes:
    """The digest of one dataclass instance, computed once per build.

    The memo keeps the instance alive beside its digest: an id is unique only while its
    object lives, and a page's temporary values (a pager, a timeline item) are freed after
    its fingerprint is taken; a new object at the same address must not get the old digest.
    """
    entry = memo.get(id(value))
    if entry is not None and entry[0] is value:
        return entry[1]
    inner = hashlib.blake2b(type(value).__qualname__.encode(), digest_size=20)
    update = inner.update
    for name, name_bytes in _FIELDS[type(value)]:
        update(name_bytes)
        _feed(update, getattr(value, name), memo)
    found = inner.digest()
    if type(memo) is dict or memo.keeps(type(value)):
        memo[id(value)] = (value, found)
    return found


class Memo(dict):
    """A fingerprint memo that keeps only the instances that outlive a page.

    The memo holds each instance it knows alive (see ``_dataclass_digest``). A page's own
    values, made for it and shown once (a territory page's 150,000 mention sentences, its
    pagers, timeline items), are hashed without being kept, so they are freed with the page
    instead of living until the end of the build (#13). Instances of dataclasses defined in
    ``transient_modules`` are such values.
    """

    def __init__(self, transient_modules: tuple[str, ...] = ()):
        super().__init__()
        self.transient_modules = transient_modules
        self._keeps: dict[type, bool] = {}

    def keeps(self, kind: type) -> bool:
        found = self._keeps.get(kind)
        if found is None:
            found = self._keeps[kind] = not kind.__module__.startswith(self.transient_modules)
        return found


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


CACHE_FORMAT = 5  # 3: SQLite rows of JSON data instead of one pickle (#13: a tampered cache runs no code);
#                  4: a body's HTML in a column of its own; 5: kept as bytes (RenderedBody.html_utf8)


@dataclass
class BuildCache:
    """What a build keeps on disk (``.cache/``) for the next: safe to delete, never stale.

    Every entry is found by a digest of everything that made it (the content, the theme,
    the generator's own code), so an entry can only be reused for identical inputs. On
    disk it is an SQLite file of plain data (JSON), read row by row as the build asks: no
    single file read and written whole, nothing that can run code when loaded (#13).
    """

    bodies: "MutableMapping[bytes, object]" = field(default_factory=dict)
    """Digest of a body's inputs -> its RenderedBody."""
    pages: "RenderCache" = field(default_factory=lambda: RenderCache())
    """Rendered pages kept in memory between rebuilds of one process (``serve``)."""
    page_digests: "MutableMapping[str, tuple[bytes, str]]" = field(default_factory=dict)
    """Output path -> (its inputs' fingerprint, digest of the bytes rendered from them)."""
    used_bodies: set[bytes] = field(default_factory=set)
    """Body digests this build used; the others are dropped on save."""
    paragraphs: "MutableMapping[bytes, object]" = field(default_factory=dict)
    """Digest of a body -> its paragraphs' texts, which the quote check reads (#12, #13)."""
    used_paragraphs: set[bytes] = field(default_factory=set)
    body_digests: "MutableMapping[bytes, bytes]" = field(default_factory=dict)
    """Body key -> the fingerprint of the rendered body's content, so a warm build need not hash it."""
    derived: "MutableMapping[bytes, object]" = field(default_factory=dict)
    """Digest of a whole-archive computation's inputs -> its result as plain JSON (the related
    documents of every document: seconds at 10,000 documents, the same after most edits)."""
    front_matter: "MutableMapping[bytes, str]" = field(default_factory=dict)
    """Digest of a document's front matter text -> the front matter parsed, as JSON (content/load.py)."""
    used_front_matter: set[bytes] = field(default_factory=set)
    last_builds: "MutableMapping[str, str]" = field(default_factory=dict)
    """Output folder -> the record of the last build into it (``snapshot.LastBuild`` as JSON)."""
    connection: "sqlite3.Connection | None" = None

    FILE = "karabakh-site.sqlite"

    @classmethod
    def load(cls, folder: Path | None, types: tuple[type, ...] = ()) -> "BuildCache":
        """Open the cache in ``folder``; an old, foreign or damaged one is a cold start.

        ``types`` are the dataclasses a cached body may hold (the JSON names them).
        """
        if folder is None:
            return cls()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / cls.FILE
        for attempt in range(2):
            try:
                connection = _open_store(path)
                named = {t.__qualname__: t for t in types}
                return cls(bodies=_Table(connection, "bodies", *_body_codec(named)),
                           page_digests=_Table(connection, "pages", tuple, lambda row: (bytes(row[0]), row[1])),
                           paragraphs=_Table(connection, "paragraphs", *_json_codec(named)),
                           body_digests=_Table(connection, "body_digests", lambda digest: (digest,),
                                               lambda row: bytes(row[0])),
                           derived=_Table(connection, "derived", lambda value: (json.dumps(value, ensure_ascii=False),),
                                          lambda row: json.loads(row[0])),
                           last_builds=_Table(connection, "last_builds", lambda text: (text,), lambda row: row[0]),
                           front_matter=_Table(connection, "front_matter", lambda text: (text,), lambda row: row[0]),
                           connection=connection)
            except sqlite3.DatabaseError:
                path.unlink(missing_ok=True)  # damaged: start again from nothing
        return cls()

    def save(self) -> None:
        """Commit this build's entries and drop the bodies it did not use."""
        if self.connection is None:
            return
        self.bodies.keep_only(self.used_bodies)
        self.paragraphs.keep_only(self.used_paragraphs)
        self.front_matter.keep_only(self.used_front_matter)
        self.connection.execute("DELETE FROM body_digests WHERE key NOT IN (SELECT key FROM bodies)")
        self.connection.commit()

    def parsed_front_matter(self) -> "MutableMapping[bytes, str]":
        """The front matter table for the load stage, noting each entry it reads or writes (the
        others are dropped on save)."""
        return _NotingUse(self.front_matter, self.used_front_matter)

    def keep_body(self, key: bytes, body: object) -> bytes:
        """Store a rendered body; return the digest of its content. Its columns are made once,
        for the row and for the digest."""
        columns = _body_columns(body)
        if isinstance(self.bodies, _Table):
            self.bodies.put_row(key, *columns)
        else:
            self.bodies[key] = body
        digest = self.body_digests[key] = _columns_digest(columns)
        return digest

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _open_store(path: Path) -> sqlite3.Connection:
    """Open (or create) the store; a store written by another generator version is emptied."""
    connection = sqlite3.connect(path, isolation_level="DEFERRED")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS meta (stamp TEXT NOT NULL)")
    stamp = json.dumps(_stamp())
    row = connection.execute("SELECT stamp FROM meta").fetchone()
    if row is None or row[0] != stamp:
        connection.executescript("".join(f"DROP TABLE IF EXISTS {table};" for table in _TABLES) + "DELETE FROM meta;")
        connection.execute("INSERT INTO meta VALUES (?)", (stamp,))
    for table, columns in _TABLES.items():
        connection.execute(f"CREATE TABLE IF NOT EXISTS {table} (key BLOB PRIMARY KEY, {columns})")
    connection.commit()
    return connection


_TABLES = {
    "bodies": "data TEXT NOT NULL, html BLOB NOT NULL",
    "paragraphs": "data TEXT NOT NULL",
    "pages": "fingerprint BLOB NOT NULL, digest TEXT NOT NULL",
    "body_digests": "digest BLOB NOT NULL",
    "derived": "data TEXT NOT NULL",
    "last_builds": "data TEXT NOT NULL",
    "front_matter": "data TEXT NOT NULL",
}
"""The store's tables: each maps a key (a digest, or a page's output path) to plain values."""


class _Table(MutableMapping):
    """One table of the store as a mapping, rows encoded and decoded on demand.

    A row this version cannot decode is a miss, never an error: the entry is made again.
    """

    def __init__(self, connection: sqlite3.Connection, table: str,
                 encode: Callable[[object], tuple], decode: Callable[[tuple], object]):
        self.connection, self.table, self.encode, self.decode = connection, table, encode, decode
        self.columns = ", ".join(column.split()[0] for column in _TABLES[table].split(","))  # never a name from outside

    def __getitem__(self, key) -> object:
        row = self.connection.execute(f"SELECT {self.columns} FROM {self.table} WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        try:
            return self.decode(row)
        except (ValueError, KeyError, TypeError):
            raise KeyError(key) from None

    def get_many(self, keys: list) -> dict:
        """The decoded entries of those ``keys`` that are stored and decodable, in a few queries
        (#13: one query per body was 10,000 round trips in each edit build)."""
        found = {}
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start:start + _KEYS_PER_QUERY]
            rows = self.connection.execute(f"SELECT key, {self.columns} FROM {self.table} "
                                           f"WHERE key IN ({', '.join('?' * len(chunk))})", chunk)
            for key, *row in rows:
                try:
                    found[bytes(key)] = self.decode(row)
                except (ValueError, KeyError, TypeError):
                    pass
        return found

    def __setitem__(self, key, value: object) -> None:
        row = (key, *self.encode(value))
        self.connection.execute(f"INSERT OR REPLACE INTO {self.table} VALUES ({', '.join('?' * len(row))})", row)

    def put_row(self, key, *columns) -> None:
        """Store already encoded columns."""
        self.connection.execute(f"INSERT OR REPLACE INTO {self.table} VALUES ({', '.join('?' * (1 + len(columns)))})",
                                (key, *columns))

    def __delitem__(self, key) -> None:
        self.connection.execute(f"DELETE FROM {self.table} WHERE key = ?", (key,))

    def copy(self, key, new_key) -> bool:
        """Store the row of ``key`` under ``new_key`` too, without decoding it; False when there is none."""
        return self.connection.execute(f"INSERT OR REPLACE INTO {self.table} SELECT ?, {self.columns} FROM {self.table} "
                                       "WHERE key = ?", (new_key, key)).rowcount > 0

    def __iter__(self):
        return (row[0] for row in self.connection.execute(f"SELECT key FROM {self.table}").fetchall())

    def __len__(self) -> int:
        return self.connection.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]

    def keep_only(self, keys: set) -> None:
        """Delete every row whose key is not in ``keys``."""
        self.connection.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY)")
        self.connection.execute("DELETE FROM used")
        self.connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((key,) for key in keys))
        self.connection.execute(f"DELETE FROM {self.table} WHERE key NOT IN (SELECT key FROM used)")


_KEYS_PER_QUERY = 500  # below SQLite's limit of bound values in one statement (999 in old versions)


def get_many(table: Mapping, keys: list) -> dict:
    """``{key: table[key]}`` for the keys the table holds: a store's table in a few queries."""
    if isinstance(table, _Table):
        return table.get_many(keys)
    return {key: table[key] for key in keys if key in table}


class _NotingUse(MutableMapping):
    """A table whose keys read or written are noted in ``used``."""

    def __init__(self, table: MutableMapping, used: set):
        self.table, self.used = table, used

    def __getitem__(self, key):
        value = self.table[key]
        self.used.add(key)
        return value

    def __setitem__(self, key, value) -> None:
        self.table[key] = value
        self.used.add(key)

    def __delitem__(self, key) -> None:
        del self.table[key]

    def __iter__(self):
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


def copy_entry(table: MutableMapping, key, new_key) -> None:
    """Give the entry of ``key`` a second key, in a store's table (row to row) or a dict."""
    if isinstance(table, _Table):
        table.copy(key, new_key)
    elif key in table:
        table[new_key] = table[key]


def _json_codec(types: dict[str, type]) -> tuple[Callable, Callable]:
    """Encode a value as one JSON column; decode it into the named ``types`` only."""
    hook = functools.partial(_build_named, types)
    return ((lambda value: (encode_json(value),)),
            (lambda row: _tuples(json.loads(row[0], object_hook=hook))))


def _body_codec(types: dict[str, type]) -> tuple[Callable, Callable]:
    """A rendered body as two columns: its HTML as UTF-8 bytes, and the rest as JSON (``_json_codec``).

    Why: the HTML is half of a body's bytes; kept out of the JSON it is neither escaped when
    stored nor unescaped when read (#13: 90 MB of it at 10,000 documents), and the body keeps
    the stored bytes as they are (``RenderedBody.html_utf8``)."""
    hook = functools.partial(_build_named, types)

    def decode(row: tuple) -> object:
        body = _tuples(json.loads(row[0], object_hook=hook))
        if getattr(body, "html_utf8", False) is not None or type(row[1]) is not bytes:
            raise TypeError("not a stored body")
        row[1].decode()  # proves the bytes are UTF-8 (a UnicodeDecodeError is a ValueError: a miss)
        object.__setattr__(body, "html_utf8", row[1])
        return body

    return _body_columns, decode


def _body_columns(body: object) -> tuple[str, bytes]:
    """The JSON of a body without its HTML (``null`` in its place), and the HTML in UTF-8."""
    html = getattr(body, "html_utf8", None)
    if type(html) is not bytes:
        raise TypeError(f"cannot store {type(body).__name__} as a body")
    encoded = _encode(dataclasses.replace(body, html_utf8=None))
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":")), html


def _columns_digest(columns: tuple[str, bytes]) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for data in (columns[0].encode(), columns[1]):
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return b"body:" + digest.digest()


def body_digest(body: object) -> bytes:
    """A digest of a rendered body's content, the same as the store's when it keeps the body."""
    return _columns_digest(_body_columns(body))


def encode_json(value: object) -> str:
    """The JSON text a value is stored as: one text for one value (fields in order, no spaces)."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


_PLAIN = frozenset({str, int, float, bool, type(None)})
_ENCODED_FIELDS: dict[type, tuple[str, ...]] = {}


def _encode(value: object) -> object:
    """Plain JSON for a tree of dataclasses, tuples and plain values; dataclasses by name.

    Plain items are passed over without a call, and each dataclass's field names looked up
    once: it walks every mention and paragraph of every body a cold build stores (#13)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [item if type(item) in _PLAIN else _encode(item) for item in value]
    names = _ENCODED_FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(kind):
            if isinstance(value, (str, int, float)) or value is None:
                return value
            if isinstance(value, (tuple, list)):
                return [_encode(item) for item in value]
            raise TypeError(f"cannot store {kind.__name__} in the cache")
        names = _ENCODED_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    encoded = {"@": kind.__qualname__}
    for name in names:
        item = getattr(value, name)
        encoded[name] = item if type(item) in _PLAIN else _encode(item)
    return encoded


def _build_named(types: dict[str, type], value: dict) -> object:
    """The inverse of ``_encode`` for one JSON object: only the named ``types`` are built
    (never arbitrary code). Called by the JSON decoder itself, innermost objects first, so
    the scalars of a large body are never visited in Python (#13: 5x faster than a walk).

    No ``__init__`` runs: a frozen dataclass's sets each field through ``object.__setattr__``,
    and 800,000 of them took a second at 10,000 documents. Once the keys are checked to be
    exactly the dataclass's fields, the decoded dict becomes the instance's ``__dict__``, or,
    for a class with slots (a body's parts: 700,000 of them, whose dicts held 150 MB), each
    slot is filled through its descriptor."""
    kind = types[value.pop("@")]
    fields, slots = _layout(kind)
    if value.keys() != fields:
        raise TypeError(f"not the fields of {kind.__qualname__}")
    for name, item in value.items():
        if type(item) is list:
            value[name] = _tuples(item)
    made = object.__new__(kind)
    if slots is None:
        object.__setattr__(made, "__dict__", value)
    else:
        for name, item in value.items():
            slots[name](made, item)
    return made


@functools.cache
def _layout(kind: type) -> tuple[frozenset[str], dict[str, Callable] | None]:
    """A dataclass's field names, and for a class with slots each field's setter (else None)."""
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"{kind.__qualname__} is not a dataclass")
    names = frozenset(f.name for f in dataclasses.fields(kind))
    if "__slots__" not in vars(kind):
        return names, None
    if names != set(kind.__slots__):
        raise TypeError(f"{kind.__qualname__}: its slots are not its fields")
    return names, {name: vars(kind)[name].__set__ for name in names}


def _tuples(value: object) -> object:
    """JSON arrays back into the tuples they were."""
    if type(value) is list:
        return tuple(_tuples(item) if type(item) is list else item for item in value)
    return value


def _stamp() -> tuple:
    from karabakh_site import __version__

    return (CACHE_FORMAT, __version__, generator_digest())


@functools.cache
def generator_digest() -> str:
    """A digest of the generator's own code: a changed generator never reuses old output.

    Computed when a cache is first needed, not at import (#13).
    """
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.relative_to(Path(__file__).parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
