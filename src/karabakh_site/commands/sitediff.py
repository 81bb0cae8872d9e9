"""Compare two built sites: which pages a change added, removed or changed, and in which words (#17).

A reviewer of a pull request sees the change to ``content/``; this says what it does to the
published site, page by page: a fixed typo is one changed word on the article's page (and on
the lists that quote its summary), a new event a new entry on the chronology and on its
territories' pages. Pages are compared by their visible words (pagetext.py), so a change of
markup alone is counted, not shown.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from karabakh_site.commands.datadiff import FigureChange, compare_figures
from karabakh_site.commands.pagetext import edit_rows, parse_page, visible_words

KINDS = ("documents", "territories", "chronology", "indexes", "feeds", "data", "other")
"""The groups of the report, in its order: the documents first, as most changes are theirs."""

INDEX_FOLDERS = frozenset({"tags", "speakers", "sources", "years", "types"})

IGNORED_FOLDERS = frozenset({"pagefind"})
"""Pagefind names some of its files differently on every run: two builds of the same input
differ there and nowhere else (tests/test_diff.py checks it), and the index shows no page."""
IGNORED_FILES = frozenset({".karabakh-site.json"})
"""The output folder's manifest of digests: it changes with every other file and shows nothing."""

CONTEXT_WORDS = 4
"""Unchanged words shown on each side of a change."""
MAX_CHANGES_PER_PAGE = 5
"""Changes shown per page; the rest are counted, so one page cannot fill the summary."""
MAX_RUN_WORDS = 30
"""Removed or added words shown per change; a longer run is cut in the middle."""


@dataclass(frozen=True)
class TextChange:
    """One place where a page's visible words differ, with a few unchanged words around it."""

    before: tuple[str, ...]
    removed: tuple[str, ...]
    added: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class EditChange:
    """A row of an article's "Editorial changes" table that the change added, removed or changed."""

    status: str
    """'added', 'removed' or 'changed' (the same original text, another replacement or reason)."""
    row: tuple[str, ...]
    """Original, replacement, why: the new row (the old one for 'removed')."""
    previous: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FileChange:
    """One file of the output that differs between the builds."""

    path: str
    """The file's path in the output, e.g. ``articles/x/index.html``."""
    kind: str
    status: str
    """'added', 'removed', 'changed' (its visible words differ) or 'markup' (only its markup does)."""
    title: str = ""
    """The page's ``<title>`` (the new one; the old one for a removed page)."""
    text_changes: tuple[TextChange, ...] = ()
    more_changes: int = 0
    """Changes beyond MAX_CHANGES_PER_PAGE, counted and not shown."""
    edit_changes: tuple[EditChange, ...] = ()

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".html")

    @property
    def shown_path(self) -> str:
        """The page's address within the site (``articles/x/``), as links name it; a file's own path."""
        if self.path == "index.html":
            return "./"
        return self.path.removesuffix("index.html")


@dataclass(frozen=True)
class SiteDiff:
    """Everything two builds differ in, for the reports of diffreport.py."""

    files: tuple[FileChange, ...]
    figures: tuple[FigureChange, ...] = ()
    compared: int = 0
    """Files compared (in either build), the ignored ones aside."""

    def of_kind(self, kind: str) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.kind == kind)

    @property
    def is_empty(self) -> bool:
        return not self.files and not self.figures

    def changed_pages(self) -> list[str]:
        """Pages of the new build that a reader would see differ: added and changed, then markup only."""
        visible = [c.path for c in self.files if c.is_page and c.status in ("added", "changed")]
        return visible + [c.path for c in self.files if c.is_page and c.status == "markup"]


@dataclass
class _Texts:
    """Visible words and edits of one page, parsed once."""

    title: str = ""
    words: list[str] = field(default_factory=list)
    edits: list[tuple[str, ...]] = field(default_factory=list)


def compare_builds(old: Path, new: Path) -> SiteDiff:
    """Compare the build in ``old`` with the one in ``new``; raise NotADirectoryError for a missing one."""
    for folder in (old, new):
        if not folder.is_dir():
            raise NotADirectoryError(f"{folder}: not a folder (give two output folders of `karabakh-site build`)")
    old_files, new_files = _files(old), _files(new)
    changes = []
    for path in sorted(old_files.keys() | new_files.keys(), key=_order):
        before, after = old_files.get(path), new_files.get(path)
        if before is not None and after is not None and before.read_bytes() == after.read_bytes():
            continue
        changes.append(_change(path, before, after))
    return SiteDiff(tuple(changes), tuple(compare_figures(old, new)), len(old_files.keys() | new_files.keys()))


def _files(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*"):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        if path.is_file() and relative.parts[0] not in IGNORED_FOLDERS and str(relative) not in IGNORED_FILES:
            found[str(relative)] = path
    return found


def _order(path: str) -> tuple[int, str]:
    return KINDS.index(kind_of(path)), path


def kind_of(path: str) -> str:
    """The group of an output file, by where the generator writes it (urls.py)."""
    parts = PurePosixPath(path).parts
    first = parts[0] if len(parts) > 1 else ""
    if parts[-1] == "feed.xml":
        return "feeds"
    if first in ("articles", "originals"):
        return "indexes" if parts[1] in ("index.html", "page") else "documents"  # the list, or one document
    if first in ("territories", "chronology", "data"):
        return first
    if first in INDEX_FOLDERS:
        return "indexes"
    return "other"


def _change(path: str, before: Path | None, after: Path | None) -> FileChange:
    kind = kind_of(path)
    if not path.endswith(".html"):
        status = "added" if before is None else "removed" if after is None else "changed"
        return FileChange(path, kind, status)
    old, new = _texts(before), _texts(after)
    if before is None or after is None:
        return FileChange(path, kind, "added" if before is None else "removed", (new if after else old).title)
    if old.words == new.words:
        return FileChange(path, kind, "markup", new.title)
    changes = word_changes(old.words, new.words)
    return FileChange(path, kind, "changed", new.title, tuple(changes[:MAX_CHANGES_PER_PAGE]),
                      max(0, len(changes) - MAX_CHANGES_PER_PAGE), tuple(edit_changes(old.edits, new.edits)))


def _texts(path: Path | None) -> _Texts:
    if path is None:
        return _Texts()
    page = parse_page(path.read_bytes())
    if page is None:
        return _Texts()
    return _Texts(page_title(page), visible_words(page), edit_rows(page))


def page_title(page) -> str:
    """The page's heading (its first ``h1``) as shown, else its ``<title>``: what a reader knows it by."""
    heading = page.find(".//h1")
    words = visible_words(heading) if heading is not None else (page.findtext(".//title") or "").split()
    return " ".join(words)


def word_changes(old: list[str], new: list[str]) -> list[TextChange]:
    """The places where the word lists differ (difflib), each with CONTEXT_WORDS on either side."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    changes = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        changes.append(TextChange(
            tuple(old[max(0, old_start - CONTEXT_WORDS):old_start]),
            _cut(old[old_start:old_end]), _cut(new[new_start:new_end]),
            tuple(old[old_end:old_end + CONTEXT_WORDS])))
    return changes


def _cut(words: list[str]) -> tuple[str, ...]:
    if len(words) <= MAX_RUN_WORDS:
        return tuple(words)
    half = MAX_RUN_WORDS // 2
    return (*words[:half], "…", *words[-half:])


def edit_changes(old: list[tuple[str, ...]], new: list[tuple[str, ...]]) -> list[EditChange]:
    """The rows of the edits table that are new, gone, or changed (same original, other replacement or why)."""
    gone, came = Counter(old) - Counter(new), Counter(new) - Counter(old)
    removed = [row for row in old if gone[row] and not gone.subtract([row])]
    added = [row for row in new if came[row] and not came.subtract([row])]
    changes = []
    for row in added:
        previous = next((old_row for old_row in removed if old_row[:1] == row[:1]), None)
        if previous is not None:
            removed.remove(previous)
            changes.append(EditChange("changed", row, previous))
        else:
            changes.append(EditChange("added", row))
    return changes + [EditChange("removed", row) for row in removed]
