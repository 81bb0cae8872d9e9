"""The originals, published for readers to check: as received, as text, and compared (#12).

Every article names the file of ``content/sources/`` it was made from and lists its
edits; the word check proves those edits account for every difference. Publishing the
file unchanged and the original with each edit shown in place lets a reader verify
that without the repository.

URLs live under ``originals/``: ``sources/`` is the index of outlets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from karabakh_site.content.model import Article, Original
from karabakh_site.content.wordcheck import ArticleText, locate_edits, normalised_original, strip_date_marker

ORIGINALS_PATH = PurePosixPath("originals/index.html")


def original_file_path(name: str) -> PurePosixPath:
    """The original's bytes as received, e.g. ``originals/004_a1c2.txt`` (served as text/plain)."""
    return PurePosixPath("originals", name)


def original_page_path(name: str) -> PurePosixPath:
    """The HTML view of an original: ``originals/<name without .txt>/index.html``."""
    return PurePosixPath("originals", PurePosixPath(name).stem, "index.html")


def compare_path(article: Article) -> PurePosixPath:
    """The article's compare view: its original with each recorded edit shown in place."""
    return PurePosixPath("articles", article.slug, "compare", "index.html")


@dataclass(frozen=True)
class CompareSegment:
    """A run of the original: unchanged text, or one edit (what it removed, what it put, why)."""

    text: str
    """The original's characters; for an edit, what the edit replaced."""
    replacement: str | None = None
    """None for unchanged text; the edit's new text ('' for a removal)."""
    reason: str = ""
    number: int = 0
    """The edit's 1-based number in the article's ``edits``, for its anchor and the list."""

    @property
    def is_edit(self) -> bool:
        return self.replacement is not None


def compare_segments(original: Original, article: Article, sharing: Sequence[Article]) -> tuple[CompareSegment, ...]:
    """The original's text cut at the article's edits, in file order.

    ``sharing`` are all the articles made from the same file (the article included):
    edits are placed together, exactly as the word check places them.
    """
    texts = [ArticleText(a.slug, a.title, a.body, tuple((e.original, e.replacement) for e in a.edits), a.body_line)
             for a in sharing]
    text = normalised_original(original.text)
    places, _not_found = locate_edits(original.text, texts)
    segments, position = [], 0
    for place in (p for p in places if p.key == article.slug):
        edit = article.edits[place.index]
        if place.start > position:
            segments.append(CompareSegment(text[position:place.start]))
        segments.append(CompareSegment(text[place.start:place.end], edit.replacement, edit.reason, place.index + 1))
        position = place.end
    if position < len(text):
        segments.append(CompareSegment(text[position:]))
    return tuple(segments)


def date_line(original: Original) -> str | None:
    """The date the original's first line gives (`` date YYYY-MM-DD``), or None."""
    return strip_date_marker(original.text.removeprefix("\ufeff"))[0]


def articles_by_original(articles: Sequence[Article]) -> dict[str, tuple[Article, ...]]:
    """Which articles were made from each original file, in the site's order."""
    made_from: dict[str, list[Article]] = {}
    for article in articles:
        if article.original:
            made_from.setdefault(article.original, []).append(article)
    return {name: tuple(group) for name, group in made_from.items()}


def original_files(originals: Sequence[Original]) -> dict[PurePosixPath, bytes]:
    """Each original's bytes, unchanged, at its ``originals/<name>`` path."""
    return {original_file_path(original.name): original.data for original in originals}
