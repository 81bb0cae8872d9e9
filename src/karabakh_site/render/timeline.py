"""The chronology's timeline: events and dated publications in one order, in pages (#13).

The timeline holds every event and every dated document, so it is split into pages like any
long list; an event's links must then name the page that holds it, which only the split
knows: ``plan_chronology`` says where each event and each year landed.

Each kind of entry also has a timeline of its own (``chronology/kind/<kind>/``), so that a
reader can keep to one kind without JavaScript (#15): ``plan_kinds`` splits those alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from karabakh_site.text.dates import EdtfDate
from karabakh_site.site.link import LinkedSite
from karabakh_site.site.urls import CHRONOLOGY_PATH, event_anchor
from karabakh_site.content.model import Article, Event, Territory
from karabakh_site.render.paging import ListSlice, page_count, paged_path, slice_of
from karabakh_site.site.quotes import QuotedSource


@dataclass(frozen=True)
class TimelineItem:
    """A chronology event or a document's publication, placed on one timeline."""

    date: EdtfDate
    kind: str
    """The event's kind, or 'publication' for a document."""
    event: Event | None = None
    article: Article | None = None
    territories: tuple[Territory, ...] = ()
    """An event's territories."""
    sources: tuple[Article, ...] = ()
    """The documents that state an event."""
    quotes: tuple[QuotedSource, ...] = ()
    """The words of those documents that state it, each linked to its paragraph (#12)."""


def timeline_items(linked: LinkedSite) -> list[TimelineItem]:
    """Events and dated publications in one date order; events first on the same date."""
    items = [
        TimelineItem(e.date, e.kind, event=e,
                     territories=tuple(linked.territory_by_id[t] for t in e.territory_ids),
                     sources=tuple(linked.article_by_slug[slug] for slug in e.source_slugs),
                     quotes=linked.event_quotes.get(e.id, ()))
        for e in linked.site.events
    ]
    items += [TimelineItem(a.date, "publication", article=a) for a in linked.site.articles if a.date]
    return sorted(items, key=lambda i: (i.date.sort_key, i.article is not None,
                                         i.event.id if i.event else i.article.slug))


def by_year(items: list[TimelineItem]) -> list[tuple[int, list[TimelineItem]]]:
    """Consecutive entries grouped by the year they are placed in."""
    groups: dict[int, list[TimelineItem]] = {}
    for item in items:
        groups.setdefault(item.date.year, []).append(item)
    return list(groups.items())


def count_by_year(items: list[TimelineItem]) -> list[tuple[int, int, int]]:
    """(year, events, publications) for the home page's small timeline."""
    return [(year, sum(1 for i in group if i.event), sum(1 for i in group if i.article))
            for year, group in by_year(items)]


@dataclass(frozen=True)
class YearGroup:
    """A year's entries on one page of the chronology; a year may run over several pages."""

    year: int
    items: tuple[TimelineItem, ...]
    starts_here: bool
    """Whether this page holds the year's first entry (and its ``year-<year>`` anchor)."""


@dataclass(frozen=True)
class ChronologyPlan:
    """The chronology's pages, and on which of them each event and year is (#13)."""

    pages: tuple[ListSlice, ...]
    """Each page's timeline entries, oldest first, PAGE_SIZE a page."""
    event_targets: dict[str, str]
    """Event id -> output path of its entry, with its ``#event-<id>`` fragment."""
    year_targets: dict[int, str]
    """Year -> output path of the page where the year begins, with its ``#year-<year>`` fragment."""


def plan_chronology(linked: LinkedSite) -> ChronologyPlan:
    """Split the timeline into pages and say where each event and each year landed.

    An event's link (from its documents, its territories, the area chart) must name the
    page that holds it; ``target_path`` names only the first page, so the pages take their
    event links from ``event_targets``.
    """
    return _plan(timeline_items(linked), CHRONOLOGY_PATH)


def kind_path(kind: str) -> PurePosixPath:
    """The first page of the timeline of one kind of entry (kinds are a fixed set of plain words)."""
    return CHRONOLOGY_PATH.parent / "kind" / kind / "index.html"


def plan_kinds(plan: ChronologyPlan) -> dict[str, ChronologyPlan]:
    """Each kind's own timeline, in pages, kinds in alphabetical order.

    Its ``event_targets`` point into the kind's pages; links from elsewhere keep pointing
    at the whole chronology, the one address of an event.
    """
    items = [item for page in plan.pages for item in page.entries]
    kinds = sorted({item.kind for item in items})
    return {kind: _plan([item for item in items if item.kind == kind], kind_path(kind)) for kind in kinds}


def _plan(items: list[TimelineItem], first: PurePosixPath) -> ChronologyPlan:
    pages = tuple(slice_of(items, number) for number in range(1, page_count(len(items)) + 1))
    event_targets: dict[str, str] = {}
    year_targets: dict[int, str] = {}
    for number, page in enumerate(pages, 1):
        path = paged_path(first, number)
        for item in page.entries:
            year_targets.setdefault(item.date.year, f"{path}#year-{item.date.year}")
            if item.event is not None:
                event_targets[item.event.id] = f"{path}#{event_anchor(item.event)}"
    return ChronologyPlan(pages, event_targets, year_targets)


def year_groups(entries: tuple[TimelineItem, ...], year_targets: Mapping[int, str], path: PurePosixPath) -> list[YearGroup]:
    """A chronology page's entries by year, each year saying whether it begins on this page."""
    return [YearGroup(year, tuple(group), year_targets[year].partition("#")[0] == str(path))
            for year, group in by_year(list(entries))]
