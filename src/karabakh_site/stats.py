"""Figures computed from the chronology: area under occupation over time, key numbers.

The numbers come only from the content: an ``occupation`` event adds the areas of its
territories (each territory once), a ``return`` event subtracts them. A range date
("1988/1992") is placed at its end, the first day by which the text says it had happened.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from karabakh_site.dates import EdtfDate
from karabakh_site.model import Event, Site


@dataclass(frozen=True)
class AreaChange:
    """One event that changed the area under occupation."""

    event: Event
    when: datetime.date
    change: float
    total: float
    """Cumulative area after this event."""


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
    for event in sorted(site.events, key=lambda e: (e.date.latest, e.date.sort_key, e.id)):
        change = _change(event, occupied, area_of)
        if change is None:
            continue
        total += change
        changes.append(AreaChange(event, event.date.latest, change, total))
    return tuple(changes)


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
        last_date=max(dates, key=lambda d: (d.latest, d.sort_key), default=None),
        documents=len(site.articles),
        events=len(site.events),
    )
