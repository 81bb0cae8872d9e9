"""Figures computed from the chronology: the archive's running sum of areas, key numbers.

The numbers come only from the content: an ``occupation`` event adds the areas of its
territories (each territory once), a ``return`` event subtracts them. The running sum is the
archive's arithmetic on the table's figures, not a figure any source gives. A change dated
to a range ("1988/1992") enters the sum at the range's end, the first day by which the text
says it had happened; the chart also shades the whole range, where it may have happened.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from karabakh_site.text.dates import EdtfDate
from karabakh_site.content.model import Event, Site


@dataclass(frozen=True)
class AreaChange:
    """One event that changed the area the chronology records, and the archive's sum after it."""

    event: Event
    start: datetime.date
    """The first day on which the change may have happened (the start of a range)."""
    when: datetime.date
    """The last such day, from which the change is in the running sum (the end of a range)."""
    change: float
    total: float
    """The archive's running sum of the changes up to and including this one."""

    @property
    def is_span(self) -> bool:
        """True when the text dates the change only to a span of days (e.g. '1988–1992')."""
        return self.start != self.when


@dataclass(frozen=True)
class KeyFigures:
    territories: int
    total_area: float
    first_date: EdtfDate | None
    """The earliest date in the chronology and the documents, at its own precision."""
    last_date: EdtfDate | None
    documents: int
    events: int


def area_changes(site: Site) -> tuple[AreaChange, ...]:
    """Walk occupation and return events in date order and keep the running total."""
    area_of = {t.id: t.area_km2 or 0 for t in site.territories}
    occupied: set[str] = set()
    total = 0.0
    changes = []
    for event in sorted(site.events, key=lambda e: (_last_day(e.date), e.date.sort_key, e.id)):
        change = _change(event, occupied, area_of)
        if change is None:
            continue
        total += change
        changes.append(AreaChange(event, event.date.earliest, _last_day(event.date), change, total))
    return tuple(changes)


def _last_day(date: EdtfDate) -> datetime.date:
    """The latest possible day; an open end (refused on occupation and return events) counts as its start."""
    return date.earliest if date.latest is None else date.latest


def chronology_span(site: Site) -> tuple[datetime.date, datetime.date] | None:
    """The first and last possible days of the whole chronology, for the area chart's time axis.

    Why all events and not only the area changes: the axis then shows where the changes
    fall within everything the chronology records, returns and later events included.
    """
    if not site.events:
        return None
    return (min(e.date.earliest for e in site.events), max(_last_day(e.date) for e in site.events))


def _change(event: Event, occupied: set[str], area_of: dict[str, float]) -> float | None:
    if event.kind == "occupation":
        added = [t for t in event.territory_ids if t not in occupied]
        occupied.update(added)
        return sum(area_of[t] for t in added) if added else None
    if event.kind == "return":
        removed = [t for t in event.territory_ids if t in occupied]
        occupied.difference_update(removed)
        return -sum(area_of[t] for t in removed) if removed else None
    return None


def key_figures(site: Site) -> KeyFigures:
    """Counts and extremes shown on the home page."""
    dates = [e.date for e in site.events] + [a.date for a in site.articles if a.date]
    return KeyFigures(
        territories=len(site.territories),
        total_area=sum(t.area_km2 or 0 for t in site.territories),
        first_date=min(dates, key=lambda d: d.sort_key, default=None),
        last_date=max(dates, key=lambda d: (_last_day(d), d.sort_key), default=None),
        documents=len(site.articles),
        events=len(site.events),
    )
