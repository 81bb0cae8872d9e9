"""Lists split into pages: which entries a page shows, where its pages are, how they link.

A list that grows with the archive (the documents, a territory's, a tag's) is shown
PAGE_SIZE entries a page (#13: at 10,000 documents a territory's page was 2.8 MB). The
first page keeps the list's URL; page n is ``<folder>/page/<n>/index.html``. Nothing here
knows the model: pages.py says which lists there are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

PAGE_SIZE = 50
"""Entries a list page shows."""
PAGER_WINDOW = 2
"""Page numbers linked on each side of the current page; the first and the last are always linked."""


def paged_path(first: PurePosixPath, number: int) -> PurePosixPath:
    """The output path of page ``number`` (from 1) of the list whose first page is ``first``."""
    if number == 1:
        return first
    return first.parent / "page" / str(number) / "index.html"


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """How many pages ``total`` entries take; an empty list still has its one page."""
    return max(1, -(-total // size))


@dataclass(frozen=True)
class ListSlice:
    """The entries of one list that one page shows, and where they stand in the whole list."""

    entries: tuple
    first: int
    """Position (from 1) of the first entry shown; 0 when the page shows none."""
    last: int
    """Position of the last entry shown; 0 when none."""
    total: int
    """Entries in the whole list."""

    @property
    def is_partial(self) -> bool:
        """Whether the list has entries on other pages, so the page must say which it shows."""
        return len(self.entries) < self.total


def slice_of(entries: Sequence, number: int, size: int = PAGE_SIZE) -> ListSlice:
    """The entries page ``number`` shows: the number-th run of ``size``, maybe none."""
    start = (number - 1) * size
    shown = tuple(entries[start:start + size])
    return ListSlice(shown, start + 1 if shown else 0, start + len(shown), len(entries))


@dataclass(frozen=True)
class Pager:
    """One page's place among its list's pages, as its page navigation shows it."""

    number: int
    count: int
    links: tuple[tuple[int, str], ...]
    """(number, output path) of the pages linked by number, in order; (0, "") marks a gap."""
    previous: str | None
    next: str | None

    @property
    def is_paged(self) -> bool:
        return self.count > 1


def make_pager(first: PurePosixPath, number: int, count: int, window: int = PAGER_WINDOW,
               path_of: Callable[[int], str] | None = None) -> Pager:
    """Links to the first and last pages and to those near ``number``, with gaps between.

    A list of 200 pages links a dozen of them from each page, not 200: every page can still
    reach every other in a few steps, and the navigation stays small. ``path_of`` places
    the pages of a list whose first page is part of another page (the chronology's area table).
    """
    def path(page: int) -> str:
        return str(path_of(page) if path_of else paged_path(first, page))

    shown = sorted({1, count, *range(max(1, number - window), min(count, number + window) + 1)})
    links: list[tuple[int, str]] = []
    for page in shown:
        if links and page - links[-1][0] == 2:
            links.append((page - 1, path(page - 1)))  # a gap of one page: link that page instead
        elif links and page - links[-1][0] > 2:
            links.append((0, ""))
        links.append((page, path(page)))
    return Pager(number=number, count=count, links=tuple(links),
                 previous=path(number - 1) if number > 1 else None, next=path(number + 1) if number < count else None)
