"""Open data: the chronology and the documents' metadata as JSON and CSV.

The files carry the content's own values (EDTF strings as written) plus normalised
start and end days, so a data journalist can sort and filter without an EDTF parser.
The CSV is meant for spreadsheets, so a text cell that one would run as a formula is
written with a leading quote (see ``_csv_cell``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import PurePosixPath

from karabakh_site.text.dates import EdtfDate
from karabakh_site.site.link import LinkedSite
from karabakh_site.site.urls import absolute_url
from karabakh_site.render.timeline import plan_chronology
from karabakh_site.content.model import AREA_KINDS, Article, Event, Territory

DATA_FOLDER = PurePosixPath("data")
CHRONOLOGY_JSON = DATA_FOLDER / "chronology.json"
CHRONOLOGY_CSV = DATA_FOLDER / "chronology.csv"
ARTICLES_JSON = DATA_FOLDER / "articles.json"
EVENT_CSV_FIELDS = ("id", "date", "start", "end", "title", "kind", "territories", "area_km2", "sources", "note", "url")
CSV_NUMBER_FIELDS = ("area_km2",)
"""Columns that hold numbers and are written as they are; every other column is text."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def export_data(linked: LinkedSite) -> dict[PurePosixPath, str]:
    """Return the data files by output path."""
    event_targets = plan_chronology(linked).event_targets
    return {
        CHRONOLOGY_JSON: _dump({
            "territories": [_territory_record(linked, t) for t in linked.site.territories],
            "events": [_event_record(linked, e, event_targets) for e in linked.site.events],
        }),
        CHRONOLOGY_CSV: _events_csv(linked, event_targets),
        ARTICLES_JSON: _dump({"articles": [_article_record(linked, a) for a in linked.articles_by_date]}),
    }


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _url(linked: LinkedSite, target: object) -> str:
    return absolute_url(linked.site.config.base_url, target)


def _date_fields(date: EdtfDate | None) -> dict[str, str | None]:
    if date is None:
        return {"date": None, "start": None, "end": None}
    end = None if date.latest is None else date.latest.isoformat()  # None: an open end, no latest day
    return {"date": date.text, "start": date.earliest.isoformat(), "end": end}


def _territory_record(linked: LinkedSite, territory: Territory) -> dict:
    return {
        "id": territory.id,
        "name": territory.name,
        "aliases": list(territory.aliases),
        "area_km2": territory.area_km2,
        "note": territory.note,
        "url": _url(linked, territory),
    }


def _event_record(linked: LinkedSite, event: Event, event_targets: dict[str, str]) -> dict:
    """One event; its ``url`` names the chronology page that holds it (the chronology is paged)."""
    return {
        "id": event.id,
        **_date_fields(event.date),
        "title": event.title,
        "kind": event.kind,
        "territories": list(event.territory_ids),
        "sources": list(event.source_slugs),
        "quotes": [{"article": quoted.article.slug, "quote": quoted.quote, "date_basis": quoted.date_basis,
                    "url": f"{_url(linked, quoted.article)}#{quoted.anchor}"}
                   for quoted in linked.event_quotes.get(event.id, ())],
        "note": event.note,
        "url": absolute_url(linked.site.config.base_url, event_targets[event.id]),
    }


def _article_record(linked: LinkedSite, article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        **_date_fields(article.date),
        "date_note": article.date_note,
        "source": {"name": article.source.name, "via": article.source.via, "url": article.source.url,
                   "note": article.source.note},
        "speakers": list(article.speakers),
        "tags": list(article.tags),
        "territories": list(linked.territories_of[article.slug]),
        "summary": article.summary,
        "original": article.original,
        "edits": [{"from": e.original, "to": e.replacement, "why": e.reason} for e in article.edits],
        "events": [e.id for e in linked.events_by_article.get(article.slug, ())],
        "url": _url(linked, article),
    }


def _events_csv(linked: LinkedSite, event_targets: dict[str, str]) -> str:
    """One row per event; list fields joined with ';'.

    ``area_km2`` is the total area of the event's territories only for the kinds that change
    the area (occupation, return; ``kind`` says which way): a statement or an agreement that
    names Kalbajar changes no area, and an area beside it read as if it did (issue 12).
    """
    area_of = {t.id: t.area_km2 for t in linked.site.territories}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EVENT_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for event in linked.site.events:
        record = _event_record(linked, event, event_targets)
        del record["quotes"]  # passages with commas and quotes of their own: the JSON has them
        areas = [area_of[t] for t in event.territory_ids if area_of.get(t) is not None] \
            if event.kind in AREA_KINDS else []
        record.update(
            territories=";".join(event.territory_ids),
            sources=";".join(event.source_slugs),
            area_km2=f"{sum(areas):g}" if areas else "",
            note=event.note or "",
        )
        writer.writerow({name: _csv_cell(name, value) for name, value in record.items()})
    return buffer.getvalue()


def _csv_cell(name: str, value: object) -> object:
    """Write a text cell so that no spreadsheet runs it: a leading =, +, -, @, tab or CR gets a '.

    Why: a title such as '=HYPERLINK(...)' is a formula to Excel or LibreOffice when the
    file is opened (OWASP "CSV Injection"); the quote makes it text and shows as written.
    Only free text (title, note) can start so in practice: ids are slugs, dates are EDTF
    or ISO, URLs start with http, and area_km2 is a number, left alone (issue 11).
    """
    if name in CSV_NUMBER_FIELDS or not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    return "'" + value
