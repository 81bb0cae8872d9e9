"""schema.org structured data (JSON-LD) for documents, chronology events and territories.

Only what the content states goes in: a publisher only when the text names the outlet,
a date only when it is exact (approximate, uncertain, ranges and open ends are left out:
schema.org has no way to say "about" or "or later", so there a date would state more than the text).
"""

from __future__ import annotations

from karabakh_site.cache import Derived
from karabakh_site.text.dates import EdtfDate, is_approximate, is_exact, machine_date
from karabakh_site.site.link import LinkedSite
from karabakh_site.site.urls import absolute_url
from karabakh_site.content.model import Article, Event, Territory

SCHEMA = "https://schema.org"


def absolute(linked: LinkedSite, target: object) -> str:
    return absolute_url(linked.site.config.base_url, target)


def iso_date(date: EdtfDate | None) -> str | None:
    """An ISO 8601 date at the EDTF date's precision, or None unless the date is exact."""
    return machine_date(date) if is_exact(date) else None


def website(linked: LinkedSite) -> dict:
    config = linked.site.config
    return {"@context": SCHEMA, "@type": "WebSite", "name": config.title, "description": config.description,
            "url": config.base_url, "inLanguage": config.language}


def news_article(linked: LinkedSite, article: Article, archive_title_note: str) -> dict:
    """A NewsArticle; a title the archive gave is its ``name`` with ``archive_title_note`` as
    ``description``, never its ``headline``, which would present it as the publisher's (#12)."""
    data = {
        "@context": SCHEMA, "@type": "NewsArticle", **_title(article, archive_title_note),
        "url": absolute(linked, article), "inLanguage": linked.site.config.language,
        "isPartOf": {"@type": "WebSite", "name": linked.site.config.title, "url": linked.site.config.base_url},
    }
    published = iso_date(article.date)
    if published:
        data["datePublished"] = published
    if article.source.name:
        data["publisher"] = {"@type": "Organization", "name": article.source.name}
    if article.source.via:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source.via}
    if article.summary:
        data["abstract"] = article.summary
    if article.tags:
        data["keywords"] = ", ".join(article.tags)
    territories = tuple(linked.territory_by_id[t] for t in linked.territories_of[article.slug])
    places = tuple(linked.place_by_id[p] for p in linked.places_of.get(article.slug, ()))
    locations = [_place_reference(linked, territory) for territory in territories]
    locations += [_town_reference(linked, place) for place in places]
    if locations:
        data["contentLocation"] = locations
    # Everything read above; ``_town_reference`` reads each place's territory, which is among
    # ``territories`` or else named by the place's own fields (its territory id).
    return Derived(data, (linked.site.config, article, territories, places,
                          tuple(linked.territory_by_id[p.territory_id] for p in places), archive_title_note))


def _title(article: Article, archive_title_note: str) -> dict:
    if article.title_by == "archive":
        return {"name": article.title, "description": archive_title_note}
    return {"headline": article.title}


def _town_reference(linked: LinkedSite, town) -> dict:
    """A place named in the text (a city, a town), inside the territory it is declared in.

    Only what the text names: a place's mention is not a mention of its whole territory,
    and a name inside a ``not_mentions`` phrase is no mention at all (#12).
    """
    territory = linked.territory_by_id[town.territory_id]
    return {"@type": "Place", "name": town.name, "url": f"{absolute(linked, territory)}#place-{town.id}",
            "containedInPlace": _place_reference(linked, territory)}


def events(linked: LinkedSite, page_events: tuple[Event, ...]) -> dict:
    return {"@context": SCHEMA, "@graph": [_event(linked, e) for e in page_events]}


def _event(linked: LinkedSite, event: Event) -> dict:
    data = {"@type": "Event", "name": event.title, "url": absolute(linked, event)}
    data.update(_event_bounds(event.date))
    if event.territory_ids:
        data["location"] = [_place_reference(linked, linked.territory_by_id[t]) for t in event.territory_ids]
    return data


def _event_bounds(date: EdtfDate) -> dict:
    """The earliest and latest possible days; the EDTF date itself is in data/chronology.json.

    Left out where they are not bounds: an approximate or uncertain date may fall outside
    them, and an open end ('2021-07-20/..') has no latest day, so its first possible day
    would read as the day the event began.
    """
    if is_approximate(date) or date.latest is None:
        return {}
    return {"startDate": date.earliest.isoformat(), "endDate": date.latest.isoformat()}


def place(linked: LinkedSite, territory: Territory) -> dict:
    data = {"@context": SCHEMA, **_place_reference(linked, territory)}
    if territory.aliases:
        data["alternateName"] = list(territory.aliases)
    if territory.area_km2 is not None:
        data["additionalProperty"] = {"@type": "PropertyValue", "name": "area", "value": territory.area_km2,
                                      "unitCode": "KMK", "unitText": "km²"}
    towns = [town for town in linked.place_by_id.values() if town.territory_id == territory.id]
    if towns:
        data["containsPlace"] = [{"@type": "Place", "name": town.name, **_alternate_names(town.aliases)}
                                 for town in towns]
    return data


def _alternate_names(aliases: tuple[str, ...]) -> dict:
    return {"alternateName": list(aliases)} if aliases else {}


def _place_reference(linked: LinkedSite, territory: Territory) -> dict:
    return {"@type": "Place", "name": territory.name, "url": absolute(linked, territory)}

