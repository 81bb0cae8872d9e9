"""Read the content folder into raw records that remember where each value came from.

This is the only module that reads ``content/``. It decodes text (UTF-8, with or without
a BOM, LF or CRLF), splits front matter from Markdown, loads YAML safely and records the
line of every mapping and key, so later stages can name the line of a bad value. It does
not judge the values: model.py does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from karabakh_site.errors import Problems

_CONTROL_CHARACTER = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 controls other than tab and line ends: invalid in XML feeds, invisible on pages."""
MAX_FILE_BYTES = 2 * 1024 * 1024
"""Larger files are refused: no real article is this long, and the limit keeps a
mistaken commit of a binary or a data dump from stalling every build."""
MAX_DATA_FILE_BYTES = 64 * 1024 * 1024
"""The limit for the archive-wide YAML files (chronology.yaml, site.yaml), which grow with the
archive: the chronology of the N = 100,000 benchmark archive is 4.4 MB (#13)."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A YAML mapping that knows its own line and column and those of each of its keys."""

    line: int = 0
    column: int = 0
    """1-based column where the mapping starts (its first key, or its ``{``)."""
    key_lines: dict
    key_columns: dict
    """Key -> (column of the key, column of its value), 1-based, for the caret under an error (#14)."""

    def line_of(self, key: str) -> int:
        """Return the 1-based line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)

    def column_of(self, key: str, of_key: bool = False) -> int:
        """Return the 1-based column of ``key``'s value (or of the key), or of the mapping when absent."""
        columns = self.key_columns.get(key)
        return columns[0 if of_key else 1] if columns else self.column

    def line_of_item(self, key: str, index: int) -> int:
        """Return the line of item ``index`` of the list under ``key``, or of the key.

        Why: a list of plain texts (e.g. ``not_mentions``) has no mapping lines of its own,
        yet an error about one item should name that item's line.
        """
        lines = getattr(self, "item_lines", {}).get(key, ())
        return lines[index] if index < len(lines) else self.line_of(key)


class _DuplicateKey(yaml.MarkedYAMLError):
    """A mapping names the same key twice; YAML would silently keep the last one."""


_PLAIN_NUMBER = {
    "tag:yaml.org,2002:int": re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
    # .nan and .inf stay the numbers YAML says they are, so that a text field given one is
    # refused as a number rather than published as the text '.nan' (issue 11).
    "tag:yaml.org,2002:float": re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?"
                                          r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
}


class _LineLoader(_BaseLoader):
    """Safe YAML loader that builds LineDicts and keeps dates as the strings written."""

    line_offset = 0

    # Dates stay the strings written, and only plain decimal numbers are numbers: YAML 1.1
    # would read 0x7CA, 02000 or 33:14 as integers, and a date or area written so is a mistake.
    yaml_implicit_resolvers = {
        first: [(tag, _PLAIN_NUMBER[tag] if tag in _PLAIN_NUMBER else regexp) for tag, regexp in resolvers
                if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    data = LineDict()
    data.line = node.start_mark.line + 1 + loader.line_offset
    data.column = node.start_mark.column + 1
    data.key_lines, data.key_columns = {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in data:
            raise _DuplicateKey(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
        data.key_columns[key] = (key_node.start_mark.column + 1, value_node.start_mark.column + 1)
        if isinstance(value_node, yaml.SequenceNode):
            data.item_lines = getattr(data, "item_lines", {})
            data.item_lines[key] = [item.start_mark.line + 1 + loader.line_offset for item in value_node.value]
    return data


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@dataclass(frozen=True)
class RawDocument:
    """A Markdown file split into its front matter and its body."""

    source_path: str
    """Where the file is, as shown to the editor, e.g. ``content/articles/x.md``."""
    repo_path: str
    """The path from the content folder's parent, e.g. ``content/articles/x.md``: the same
    whatever the working folder, so it can go into the output (edit links)."""
    slug: str
    """The file name without ``.md``: the document's identity and URL."""
    front_matter: LineDict
    body: str
    """The Markdown after the closing ``---``, unchanged."""
    body_line: int
    """The file line on which ``body`` starts (the closing fence's line); body line 0 is this."""
    head: str = ""
    """The file's text before ``body``: the fences and the front matter, so that ``head + body``
    is the file and an error can quote any of its lines (#14)."""


@dataclass
class RawContent:
    """Everything read from the content folder, before any validation."""

    root: Path
    site: LineDict | None = None
    site_path: str = ""
    chronology: LineDict | None = None
    chronology_path: str = ""
    articles: list[RawDocument] = field(default_factory=list)
    pages: list[RawDocument] = field(default_factory=list)
    originals: dict[str, str] = field(default_factory=dict)
    """Text of each file in ``content/sources/`` by name: the unedited originals the articles cite."""
    original_bytes: dict[str, bytes] = field(default_factory=dict)
    """The same files' bytes as they are on disk, published unchanged for readers to check (#12)."""
    unread: set[str] = field(default_factory=set)
    """Content paths (``articles/x.md``) of documents that exist but could not be read, their
    problems reported: later stages check the rest, and a link to one is not 'unknown' (#14)."""
    geo: object = None
    """The parsed JSON of ``geo/territories.geojson``, the territories' boundaries (#16); None when absent
    or unreadable. Its shape is judged by geo.py."""
    geo_path: str = ""
    """That file's shown path, or "" when the content has none (a site without a map)."""
    geo_text: str = ""
    """Its text, for the line of a feature an error names."""
    texts: dict[str, str] = field(default_factory=dict)
    """The text of site.yaml, chronology.yaml and of each unread document, by shown path, so an
    error can quote its line; the read documents' texts are their ``head + body``."""

    @property
    def original_names(self) -> tuple[str, ...]:
        return tuple(self.originals)

    def text_finder(self):
        """Return a function from a shown path to that file's text (None for a file not read here)."""
        documents = {document.source_path: document for document in (*self.articles, *self.pages)}

        def text_of(shown: str) -> str | None:
            document = documents.get(shown)
            return document.head + document.body if document is not None else self.texts.get(shown)
        return text_of


def load_content(root: Path, parsed: MutableMapping[bytes, str] | None = None) -> tuple[RawContent, Problems]:
    """Read site.yaml, chronology.yaml, articles/*.md and pages/*.md under ``root``.

    ``parsed`` (the cache's) keeps each front matter parsed, by a digest of its text (#13).
    """
    problems = Problems()
    root = root.resolve()
    raw = RawContent(root=root)
    if not root.is_dir():
        problems.add(display_path(root), None, "content folder not found")
        return raw, problems
    raw.site_path, raw.site = _load_yaml_file(root, "site.yaml", problems, raw.texts)
    raw.chronology_path, raw.chronology = _load_yaml_file(root, "chronology.yaml", problems, raw.texts)
    raw.articles = _load_documents(root, "articles", problems, raw, parsed)
    raw.pages = _load_documents(root, "pages", problems, raw, parsed)
    raw.originals = _load_originals(root, problems, raw.original_bytes)
    _load_geo(root, raw, problems)
    return raw, problems


GEO_FILE = "geo/territories.geojson"
"""The territories' boundaries, made by scripts/make_geo.py; optional: a site without it has no map."""


def _load_geo(root: Path, raw: RawContent, problems: Problems) -> None:
    """Read ``geo/territories.geojson`` when it exists, reporting invalid JSON at its line and column."""
    path = root / GEO_FILE
    if not path.exists():
        return
    raw.geo_path = display_path(path)
    text = _read_text(root, path, problems)
    if text is None:
        return
    raw.geo_text = text
    try:
        raw.geo = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(raw.geo_path, error.lineno, f"invalid JSON: {error.msg}", column=error.colno)


def _load_originals(root: Path, problems: Problems, original_bytes: dict[str, bytes]) -> dict[str, str]:
    """Read the originals, so the check can compare each article's words with its source."""
    originals = {}
    for path in _list_files(root, "sources", "", problems):
        if path.name != "README.md":
            text = _read_text(root, path, problems)
            if text is not None:
                originals[path.name] = text
                original_bytes[path.name] = path.read_bytes()
    return originals


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working folder when it is inside it, in POSIX form."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _load_yaml_file(root: Path, name: str, problems: Problems, texts: dict[str, str]) -> tuple[str, LineDict | None]:
    path = root / name
    shown = display_path(path)
    if not path.exists():
        problems.add(shown, None, f"missing {name}")
        return shown, None
    text = _read_text(root, path, problems, MAX_DATA_FILE_BYTES)
    if text is None:
        return shown, None
    texts[shown] = text
    return shown, parse_yaml_mapping(text, shown, 0, problems)


def parse_yaml_mapping(text: str, shown: str, line_offset: int, problems: Problems) -> LineDict | None:
    """Load one YAML document that must be a mapping; report errors with file lines."""
    alias_line = _first_alias_line(text) if ("&" in text or "*" in text) else None
    if alias_line is not None:
        problems.add(shown, alias_line + line_offset, "YAML anchors and aliases (&name, *name) are not allowed in "
                     "content: write the value out (aliases can expand a small file into a huge one)")
        return None
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        _report_yaml_error(error, text, shown, line_offset, problems)
        return None
    except yaml.YAMLError as error:
        problems.add(shown, None, f"invalid YAML: {error}")
        return None
    finally:
        loader.dispose()
    if not isinstance(data, LineDict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        problems.add(shown, line_offset + 1, f"expected a YAML mapping of keys to values, found {kind}")
        return None
    return data


def _parse_front_matter(text: str, shown: str, problems: Problems,
                        parsed: MutableMapping[bytes, str] | None) -> LineDict | None:
    """``parse_yaml_mapping`` of a document's front matter, kept in ``parsed`` by a digest of its
    text: YAML is half the time of loading 10,000 documents (#13). Only a front matter that
    parsed without a problem is kept; one that did not is parsed again, to report it again."""
    if parsed is None:
        return parse_yaml_mapping(text, shown, 0, problems)
    key = hashlib.blake2b(text.encode(), digest_size=20).digest()
    kept = parsed.get(key)
    if kept is not None:
        front = decode_mapping(kept)
        if front is not None:
            return front
    before = len(problems.items)
    front = parse_yaml_mapping(text, shown, 0, problems)
    if front is not None and len(problems.items) == before:
        encoded = encode_mapping(front)
        if encoded is not None:
            parsed[key] = encoded
    return front


def encode_mapping(mapping: LineDict) -> str | None:
    """A parsed mapping, its lines and columns included, as JSON; None for a value JSON cannot hold."""
    try:
        return json.dumps(_encode_node(mapping), ensure_ascii=False, separators=(",", ":"))
    except TypeError:
        return None


def decode_mapping(text: str) -> LineDict | None:
    """The inverse of ``encode_mapping``; None for anything it did not write."""
    try:
        node = json.loads(text)
        return _decode_node(node) if isinstance(node, dict) else None
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def _encode_node(value: object) -> object:
    if isinstance(value, LineDict):
        node = {"at": [value.line, value.column],
                "keys": [[key, _encode_node(item), value.key_lines[key], list(value.key_columns[key])]
                         for key, item in value.items()]}
        if hasattr(value, "item_lines"):
            node["items"] = [[key, lines] for key, lines in value.item_lines.items()]
        return node
    if type(value) is list:
        return [_encode_node(item) for item in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise TypeError(f"cannot keep {type(value).__name__}")


def _decode_node(node: object) -> object:
    if type(node) is list:
        return [_decode_node(item) for item in node]
    if type(node) is not dict:
        return node
    mapping = LineDict()
    mapping.line, mapping.column = node["at"]
    mapping.key_lines, mapping.key_columns = {}, {}
    for key, item, line, columns in node["keys"]:
        mapping[key] = _decode_node(item)
        mapping.key_lines[key] = line
        mapping.key_columns[key] = tuple(columns)
    if "items" in node:
        mapping.item_lines = {key: lines for key, lines in node["items"]}
    return mapping


def _report_yaml_error(error: yaml.MarkedYAMLError, text: str, shown: str, line_offset: int,
                       problems: Problems) -> None:
    """Report a YAML syntax error at its line and column, with a hint for the usual mistakes (#14)."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        problems.add(shown, None, f"invalid YAML: {error.problem or error.context}")
        return
    lines = text.split("\n")
    line, column = mark.line, mark.column
    hint = _yaml_hint(error, lines[line] if line < len(lines) else "", lines, line_offset)
    source = lines[line] if line < len(lines) else ""
    if "\t" in source[:len(source) - len(source.lstrip())] or source[column:column + 1] == "\t":
        column = source.index("\t")  # point at the tab itself, not where the scanner gave up
    elif _is_unclosed_quote(error):
        line, column = error.context_mark.line, error.context_mark.column  # where the quote opens
    problems.add(shown, line + 1 + line_offset, f"invalid YAML: {error.problem or error.context}", hint,
                 column=column + 1)


def _is_unclosed_quote(error: yaml.MarkedYAMLError) -> bool:
    return error.context_mark is not None and "quoted scalar" in (error.context or "") \
        and "end of stream" in (error.problem or "")


def _yaml_hint(error: yaml.MarkedYAMLError, source: str, lines: list[str], line_offset: int) -> str:
    """Say in an editor's words what the usual YAML mistakes are and how to fix them.

    The messages are libyaml's or PyYAML's; the hints are matched on both wordings.
    """
    problem, context = error.problem or "", error.context or ""
    if "\t" in source[:len(source) - len(source.lstrip())] or "tab" in problem or "'\\t'" in problem:
        return "tabs are not allowed for indentation in YAML; use spaces"
    if _is_unclosed_quote(error):
        return "this quote is never closed: end the value with the same quote mark on this line"
    if "mapping values are not allowed" in problem:
        before = source[:error.problem_mark.column]
        if ":" in before:
            return "a value that contains ': ' must be quoted, e.g. title: \"Shusha: the return\""
        return "this line is indented more than the key above it; keys of one mapping start in the same column"
    if "block mapping" in context or "expected key" in problem:
        unclosed = _line_with_unclosed_quote(lines, error.context_mark, error.problem_mark)
        if unclosed is not None:
            return f"the quote opened on line {unclosed + 1 + line_offset} is not closed on that line; close it there"
        return ("wrong indentation: the keys of one mapping must start in the same column, "
                "and the keys of a mapping inside another further right than its key; indent with spaces")
    if "flow sequence" in context or "',' or ']'" in problem:
        return "a list written in brackets must end with ']' on the line where it starts, items separated by commas"
    if "flow mapping" in context or "',' or '}'" in problem:
        return "a mapping written in braces must end with '}', entries separated by commas"
    return ""


def _line_with_unclosed_quote(lines: list[str], start, end) -> int | None:
    """The first 0-based line from ``start`` to ``end`` with an odd number of double quotes, if any.

    Why: a value quoted on one line and not closed there swallows the next lines up to the next
    quote mark, and YAML reports the damage lines later as a missing key.
    """
    if start is None or end is None:
        return None
    for number in range(start.line, min(end.line + 1, len(lines))):
        if lines[number].replace('\\"', "").count('"') % 2:
            return number
    return None


def _first_alias_line(text: str) -> int | None:
    """The 1-based line of the first anchor or alias, found from parser events without building
    anything, so an alias bomb ("billion laughs") is refused before it can expand."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return event.start_mark.line + 1
    except yaml.YAMLError:
        return None  # the real load reports the syntax error with its line
    return None


def load_document(root: Path, path: Path) -> tuple[RawDocument | None, Problems]:
    """Read one Markdown file of the content folder (``serve`` re-reads just the file saved)."""
    problems = Problems()
    root = root.resolve()
    text = _read_text(root, path, problems)
    if text is None:
        return None, problems
    repo_path = f"{root.name}/{path.resolve().relative_to(root).as_posix()}"
    return split_document(text, display_path(path), repo_path, path.stem, problems), problems


def _load_documents(root: Path, folder: str, problems: Problems, raw: RawContent,
                    parsed: MutableMapping[bytes, str] | None = None) -> list[RawDocument]:
    """Read the Markdown files of a folder; those that cannot be read are noted in ``raw.unread``."""
    documents = []
    directory = root / folder
    # The folder's shown and real paths are worked out once, not for each of 10,000 files (#13).
    folder_shown, real_folder = display_path(directory), directory.resolve()
    for path, is_link in _listed_files(root, folder, ".md", problems):
        shown = f"{folder_shown}/{path.name}"
        text = _read_text(root, path, problems, shown=shown, real_path=None if is_link else real_folder / path.name)
        document = None
        if text is not None:
            document = split_document(text, shown, f"{root.name}/{folder}/{path.name}", path.stem, problems, parsed)
        if document is not None:
            documents.append(document)
        else:
            raw.unread.add(f"{folder}/{path.name}")
            if text is not None:
                raw.texts[shown] = text
    return documents


def split_document(text: str, shown: str, repo_path: str, slug: str, problems: Problems,
                   parsed: MutableMapping[bytes, str] | None = None) -> RawDocument | None:
    """Split a Markdown file into front matter and body, checking the fences ourselves.

    python-frontmatter's ``parse()`` silently accepts a missing or non-mapping front
    matter, so only its boundary detection and split are used here.
    """
    handler = frontmatter.YAMLHandler()
    if not text.strip():
        problems.add(shown, None, "empty file; expected front matter between '---' lines, then Markdown")
        return None
    if not handler.detect(text):
        problems.add(shown, 1, "missing front matter: the file must start with a '---' line",
                     "begin the file with '---', the front matter, and another '---' line", column=1)
        return None
    try:
        front_text, body = handler.split(text)
    except ValueError:
        problems.add(shown, 1, "unclosed front matter: no closing '---' line",
                     "end the front matter with a line of three hyphens '---' before the text", column=1)
        return None
    # The split keeps the newline after the opening fence, so YAML line 0 is file line 1.
    front = _parse_front_matter(front_text, shown, problems, parsed)
    if front is None:
        return None
    body_start = len(text) - len(body)
    body_line = text.count("\n", 0, body_start) + 1
    return RawDocument(shown, repo_path, slug, front, body, body_line, text[:body_start])


def _list_files(root: Path, folder: str, suffix: str, problems: Problems) -> list[Path]:
    """List the content files of a folder in a stable order, skipping hidden and backup files."""
    return [path for path, _ in _listed_files(root, folder, suffix, problems)]


def _listed_files(root: Path, folder: str, suffix: str, problems: Problems) -> list[tuple[Path, bool]]:
    """``_list_files``, each path with whether it is a symbolic link (one the folder's listing
    says is not needs no further look at the disk: #13, 10,000 files)."""
    directory = root / folder
    if not directory.is_dir():
        return []
    files = []
    seen: dict[str, Path] = {}
    with os.scandir(directory) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if _is_ignored(entry.name) or (suffix and not entry.name.endswith(suffix)):
            continue
        path = directory / entry.name
        twin = seen.setdefault(entry.name.casefold(), path)
        if twin != path:
            # Two names that differ only by case are one file on macOS and Windows checkouts.
            problems.add(display_path(path), None, f"file name differs only by case from {display_path(twin)}")
            continue
        is_link = entry.is_symlink()
        if is_link and not path.exists():
            problems.add(display_path(path), None, "symbolic link points to a missing file")
            continue
        if is_link and not path.resolve().is_relative_to(root):
            problems.add(display_path(path), None, "symbolic link points outside the content folder; refused")
            continue
        if entry.is_file():
            files.append((path, is_link))
    return files


def _is_ignored(name: str) -> bool:
    """Hidden files, editor backups and lock files are never content."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".bak", ".tmp"))


def _read_text(root: Path, path: Path, problems: Problems, limit: int = MAX_FILE_BYTES, *,
               shown: str | None = None, real_path: Path | None = None) -> str | None:
    """Read a file as UTF-8 text with LF line ends, refusing what cannot be content.

    ``shown`` and ``real_path`` (the file's ``display_path`` and resolved path) may be given
    by a caller that knows them."""
    shown = shown or display_path(path)
    if not (real_path or path.resolve()).is_relative_to(root):
        problems.add(shown, None, "file resolves outside the content folder; refused")
        return None
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            problems.add(shown, None, f"file is {size:,} bytes; the limit is {limit:,}")
            return None
        data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add(shown, line, f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded; save the file as UTF-8")
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.add(shown, line, "NUL byte in text; the file is probably binary or corrupted")
        return None
    control = _CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        problems.add(shown, line, f"control character U+{ord(control.group()):04X} in text (e.g. a form feed "
                                  "pasted from a PDF); remove it")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
