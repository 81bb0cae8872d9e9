"""schema.org structured data (JSON-LD) for documents, chronology events and territories.

Only what the content states goes in: a publisher only when the text names the outlet,
a date only when it is exact enough for ISO 8601 (approximate dates are left out).
"""

from __future__ import annotations

from karabakh_site.dates import EdtfDate, is_approximate, machine_date
from karabakh_site.link import LinkedSite, absolute_url
from karabakh_site.model import Article, Event, Territory

SCHEMA = "https://schema.org"


def absolute(linked: LinkedSite, target: object) -> str:
    return absolute_url(linked.site.config.base_url, target)


def iso_date(date: EdtfDate | None) -> str | None:
    """An ISO 8601 date at the EDTF date's precision, or None when approximate or a range."""
    return None if is_approximate(date) else machine_date(date)


def website(linked: LinkedSite) -> dict:
    config = linked.site.config
    return {"@context": SCHEMA, "@type": "WebSite", "name": config.title, "description": config.description,
            "url": config.base_url, "inLanguage": config.language}


def news_article(linked: LinkedSite, article: Article) -> dict:
    data = {
        "@context": SCHEMA, "@type": "NewsArticle", "headline": article.title,
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
    territories = [linked.territory_by_id[t] for t in linked.territories_of[article.slug]]
    if territories:
        data["contentLocation"] = [_place_reference(linked, t) for t in territories]
    return data


def events(linked: LinkedSite, page_events: tuple[Event, ...]) -> dict:
    return {"@context": SCHEMA, "@graph": [_event(linked, e) for e in page_events]}


def _event(linked: LinkedSite, event: Event) -> dict:
    data = {"@type": "Event", "name": event.title, "url": absolute(linked, event),
            # The earliest and latest possible days; the EDTF date itself is in data/chronology.json.
            "startDate": event.date.earliest.isoformat(), "endDate": event.date.latest.isoformat()}
    if event.territory_ids:
        data["location"] = [_place_reference(linked, linked.territory_by_id[t]) for t in event.territory_ids]
    return data


def place(linked: LinkedSite, territory: Territory) -> dict:
    data = {"@context": SCHEMA, **_place_reference(linked, territory)}
    if territory.aliases:
        data["alternateName"] = list(territory.aliases)
    if territory.area_km2 is not None:
        data["additionalProperty"] = {"@type": "PropertyValue", "name": "area", "value": territory.area_km2,
                                      "unitCode": "KMK", "unitText": "km²"}
    return data


def _place_reference(linked: LinkedSite, territory: Territory) -> dict:
    return {"@type": "Place", "name": territory.name, "url": absolute(linked, territory)}

