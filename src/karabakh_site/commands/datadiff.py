"""The figures a change alters, read from the open data of two builds (#17).

A reviewer must not miss a changed area, date or total: a word diff of the chronology page
shows them among other words, this lists each one. The figures are those the build publishes
in ``data/chronology.json`` and ``data/articles.json`` (the same the pages show), so the
comparison needs nothing but the two output folders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CHRONOLOGY = "data/chronology.json"
ARTICLES = "data/articles.json"


@dataclass(frozen=True)
class FigureChange:
    """One figure that differs: a territory's area, an event's date, a total, a count."""

    subject: str
    """'territory', 'event', 'document' or 'total'."""
    id: str
    """The territory's or event's id, the document's slug, or the name of the total."""
    label: str
    """What readers call it: the territory's name, the event's or document's title, the total's name."""
    field: str
    """What changed: 'added', 'removed', 'area_km2', 'name', 'date', or 'count' / 'km2' for totals."""
    before: str | None = None
    after: str | None = None


def compare_figures(old: Path, new: Path) -> list[FigureChange]:
    """Every figure of ``old``'s open data that ``new``'s gives otherwise; [] when either build has none."""
    old_chronology, new_chronology = _read(old / CHRONOLOGY), _read(new / CHRONOLOGY)
    old_articles, new_articles = _read(old / ARTICLES), _read(new / ARTICLES)
    changes = []
    if old_chronology is not None and new_chronology is not None:
        old_territories = _by_id(old_chronology.get("territories"), "id")
        new_territories = _by_id(new_chronology.get("territories"), "id")
        changes += _territory_changes(old_territories, new_territories)
        old_events, new_events = _by_id(old_chronology.get("events"), "id"), _by_id(new_chronology.get("events"), "id")
        changes += _dated_changes("event", old_events, new_events)
        changes += _totals(old_territories, new_territories, old_events, new_events)
    if old_articles is not None and new_articles is not None:
        old_documents = _by_id(old_articles.get("articles"), "slug")
        new_documents = _by_id(new_articles.get("articles"), "slug")
        changes += _dated_changes("document", old_documents, new_documents)
        changes += _count("documents", "Documents", old_documents, new_documents)
    return changes


def _read(path: Path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _by_id(items, key: str) -> dict[str, dict]:
    return {item[key]: item for item in items or () if isinstance(item, dict) and key in item}


def area(value) -> str | None:
    """An area as the pages write it: 14,682 (whole numbers without a decimal point)."""
    if value is None:
        return None
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _territory_changes(old: dict[str, dict], new: dict[str, dict]) -> list[FigureChange]:
    changes = []
    for territory_id in [*old, *(i for i in new if i not in old)]:
        before, after = old.get(territory_id), new.get(territory_id)
        if before is None or after is None:
            shown = after or before
            changes.append(FigureChange("territory", territory_id, shown.get("name", ""),
                                        "added" if before is None else "removed",
                                        after=area(shown.get("area_km2")) if before is None else None,
                                        before=area(shown.get("area_km2")) if after is None else None))
            continue
        if before.get("name") != after.get("name"):
            changes.append(FigureChange("territory", territory_id, after.get("name", ""), "name",
                                        before.get("name"), after.get("name")))
        if before.get("area_km2") != after.get("area_km2"):
            changes.append(FigureChange("territory", territory_id, after.get("name", ""), "area_km2",
                                        area(before.get("area_km2")), area(after.get("area_km2"))))
    return changes


def _dated_changes(kind: str, old: dict[str, dict], new: dict[str, dict]) -> list[FigureChange]:
    """Events or documents (``kind``) added, removed or given another date, by id, old order first."""
    changes = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before is None or after is None:
            shown = after or before
            changes.append(FigureChange(kind, key, shown.get("title", ""), "added" if before is None else "removed",
                                        before=shown.get("date") if after is None else None,
                                        after=shown.get("date") if before is None else None))
        elif before.get("date") != after.get("date"):
            changes.append(FigureChange(kind, key, after.get("title", ""), "date",
                                        before.get("date"), after.get("date")))
    return changes


def _totals(old_territories, new_territories, old_events, new_events) -> list[FigureChange]:
    """The totals the home page shows that come from the chronology: territories, events, their area."""
    changes = _count("territories", "Territories", old_territories, new_territories)
    changes += _count("events", "Dated events", old_events, new_events)
    before, after = _total_area(old_territories), _total_area(new_territories)
    if before != after:
        changes.append(FigureChange("total", "area", "Their total area", "km2", area(before), area(after)))
    return changes


def _count(total_id: str, label: str, old: dict, new: dict) -> list[FigureChange]:
    if len(old) == len(new):
        return []
    return [FigureChange("total", total_id, label, "count", str(len(old)), str(len(new)))]


def _total_area(territories: dict[str, dict]) -> float:
    return sum(t["area_km2"] for t in territories.values() if isinstance(t.get("area_km2"), (int, float)))
