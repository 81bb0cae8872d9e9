"""The page plan: every page of the site, its template and the values it shows.

Kept apart from render.py so that what the site publishes (this module) and how a
page is turned into HTML (render.py) can be read and changed separately.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from markupsafe import Markup

from karabakh_site import charts, metadata
from karabakh_site.cite import bibtex_citation, plain_citation
from karabakh_site.dates import EdtfDate, format_date
from karabakh_site.link import (
    ARTICLES_PATH, CHRONOLOGY_PATH, DATA_PAGE_PATH, FEED_PATH, HOME_PATH, NOT_FOUND_PATH, ROBOTS_PATH,
    SEARCH_PATH, SITEMAP_PATH, TERRITORIES_PATH,
    LinkedSite, article_path, canonical_url, feed_path_of, page_path, relative_url, target_path, territory_path,
)
from karabakh_site.model import Article, Event, Territory
from karabakh_site.stats import area_changes, key_figures
from karabakh_site.strings import date_words, facet_label


@dataclass(frozen=True)
class PageSpec:
    """One page to render: where it goes, with which template and which values."""

    output_path: PurePosixPath
    template: str
    title: str
    values: dict


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


@dataclass(frozen=True)
class FacetLink:
    """A link to one of the indexes, as the documents and search pages show them."""

    path: str
    singular: str
    count: int


def site_values(linked: LinkedSite, strings: Mapping[str, object]) -> dict:
    """Values every page shows (header, navigation, footer); part of every page's inputs."""
    site = linked.site
    navigation = [(strings["nav_home"], str(HOME_PATH)), (strings["nav_documents"], str(ARTICLES_PATH)),
                  (strings["nav_chronology"], str(CHRONOLOGY_PATH)), (strings["nav_territories"], str(TERRITORIES_PATH))]
    navigation += [(page.title, str(page_path(page))) for page in site.pages]
    return {
        "site": site.config,
        "navigation": navigation,
        "about_page": next((page for page in site.pages if page.slug == "about"), None),
        "facet_links": tuple(FacetLink(target_path(f), f.singular, len(f.entries)) for f in linked.facets),
    }


def plan_pages(linked: LinkedSite, strings: Mapping[str, object]) -> Iterator[PageSpec]:
    """List every page and publishing file of the site, in a stable order."""
    pages = list(_html_specs(linked, strings))
    yield from pages
    yield from _feed_specs(linked)
    yield PageSpec(SITEMAP_PATH, "sitemap.xml", "Sitemap",
                   {"page_paths": [p.output_path for p in pages if p.output_path != NOT_FOUND_PATH]})
    yield PageSpec(ROBOTS_PATH, "robots.txt", "robots.txt", {})


FEED_LIMIT = 50
"""Entries per feed: the newest documents. A feed is for following what is new; the whole
archive is in the lists, the indexes and data/articles.json (#8: at 1,000 documents,
feeds of everything in full text were 145 MB of the 183 MB output)."""


def _feed_specs(linked: LinkedSite) -> Iterator[PageSpec]:
    """The site's Atom feed (full text), and one per tag and per territory (summaries)."""
    site = linked.site
    yield _feed_spec(FEED_PATH, HOME_PATH, site.config.title, linked.articles_by_date, linked.bodies)
    tags = next(f for f in linked.facets if f.key == "tags")
    for entry in tags.entries:
        yield _feed_spec(feed_path_of(entry), PurePosixPath(target_path(entry)),
                         f"{site.config.title}: {entry.label}", entry.articles)
    for territory in site.territories:
        yield _feed_spec(feed_path_of(territory), territory_path(territory), f"{site.config.title}: {territory.name}",
                         linked.articles_by_territory.get(territory.id, ()))


def _feed_spec(path: PurePosixPath, page: PurePosixPath, title: str, articles, bodies=None) -> PageSpec:
    """Dated documents, newest first (articles come in the site's date order), at most FEED_LIMIT."""
    dated = [a for a in articles if a.date]
    entries = dated[:FEED_LIMIT]
    return PageSpec(path, "feed.xml", title, {
        "entries": entries, "updated": entries[0].date if entries else None, "html_page": page,
        "undated_count": len(articles) - len(dated), "older_count": len(dated) - len(entries),
        "bodies": {a.slug: bodies[a.source_path].html for a in entries} if bodies else {},
    })


def _html_specs(linked: LinkedSite, strings: Mapping[str, object]) -> Iterator[PageSpec]:
    site = linked.site
    yield _home_spec(linked)
    yield PageSpec(ARTICLES_PATH, "articles.html", strings["documents_title"], {"articles": linked.articles_by_date})
    for article in linked.articles_by_date:
        yield _article_spec(linked, article, strings)
    yield _chronology_spec(linked, strings)
    yield PageSpec(TERRITORIES_PATH, "territories.html", strings["territories_title"], {
        "territories": site.territories, "area_chart": _area_bar_chart(linked, TERRITORIES_PATH, strings),
        "counts": {t.id: (len(linked.events_by_territory.get(t.id, ())), len(linked.articles_by_territory.get(t.id, ())))
                   for t in site.territories},
    })
    for territory in site.territories:
        yield PageSpec(territory_path(territory), "territory.html", territory.name, {
            "structured_data": metadata.place(linked, territory),
            "feed": feed_path_of(territory),
            "territory": territory,
            "events": linked.events_by_territory.get(territory.id, ()),
            "articles": linked.articles_by_territory.get(territory.id, ()),
            "mentions": linked.mentions_by_territory.get(territory.id, ()),
        })
    for facet in linked.facets:
        yield PageSpec(PurePosixPath(target_path(facet)), "facet.html", strings[f"facet_{facet.key}"], {"facet": facet})
        for entry in facet.entries:
            values = {"facet": facet, "entry": entry}
            if facet.key == "tags":
                values["feed"] = feed_path_of(entry)
            title = f"{strings[f'facet_{facet.singular}']}: {facet_label(strings, entry.label)}"
            yield PageSpec(PurePosixPath(target_path(entry)), "facet_entry.html", title, values)
    for page in site.pages:
        yield PageSpec(page_path(page), "page.html", page.title, {"page": page, "body": linked.bodies[page.source_path]})
    yield PageSpec(DATA_PAGE_PATH, "data.html", strings["data_title"], {})
    yield PageSpec(SEARCH_PATH, "search.html", strings["search_title"], {})
    yield PageSpec(NOT_FOUND_PATH, "404.html", strings["not_found_title"], {})


def _home_spec(linked: LinkedSite) -> PageSpec:
    timeline = timeline_items(linked)
    return PageSpec(HOME_PATH, "home.html", linked.site.config.title, {
        "structured_data": metadata.website(linked),
        "latest": linked.articles_by_date[:5],
        "figures": key_figures(linked.site),
        "years": _count_by_year(timeline),
    })


def _article_spec(linked: LinkedSite, article: Article, strings: Mapping[str, object]) -> PageSpec:
    config = linked.site.config
    url = canonical_url(config.base_url, article_path(article))
    mentions = linked.bodies[article.source_path].mentions
    return PageSpec(article_path(article), "article.html", article.title, {
        "structured_data": metadata.news_article(linked, article),
        "og_type": "article",
        "published": metadata.iso_date(article.date),
        "article": article,
        "body": linked.bodies[article.source_path],
        "territories": [linked.territory_by_id[t] for t in linked.territories_of[article.slug]],
        "mention_counts": {t: sum(1 for m in mentions if m.territory_id == t) for t in linked.territories_of[article.slug]},
        "events": linked.events_by_article.get(article.slug, ()),
        "neighbours": linked.neighbours.get(article.slug),
        "related": linked.related.get(article.slug, ()),
        "facet_entries": linked.facet_entries_of.get(article.slug, {f.key: {} for f in linked.facets}),
        "citation": plain_citation(article, config, url, strings),
        "bibtex": bibtex_citation(article, config, url),
        "edit_url": _edit_url(linked, article.repo_path),
    })


def _edit_url(linked: LinkedSite, repo_path: str) -> str | None:
    repository = linked.site.config.repository
    if repository is None:
        return None
    return f"{repository.url}/edit/{repository.branch}/{repo_path}"


def timeline_items(linked: LinkedSite) -> list[TimelineItem]:
    """Events and dated publications in one date order; events first on the same date."""
    items = [
        TimelineItem(e.date, e.kind, event=e,
                     territories=tuple(linked.territory_by_id[t] for t in e.territory_ids),
                     sources=tuple(linked.article_by_slug[slug] for slug in e.source_slugs))
        for e in linked.site.events
    ]
    items += [TimelineItem(a.date, "publication", article=a) for a in linked.site.articles if a.date]
    return sorted(items, key=lambda i: (i.date.sort_key, i.article is not None,
                                         i.event.id if i.event else i.article.slug))


def _by_year(items: list[TimelineItem]) -> list[tuple[int, list[TimelineItem]]]:
    groups: dict[int, list[TimelineItem]] = {}
    for item in items:
        groups.setdefault(item.date.year, []).append(item)
    return list(groups.items())


def _count_by_year(items: list[TimelineItem]) -> list[tuple[int, int, int]]:
    """(year, events, publications) for the home page's small timeline."""
    return [(year, sum(1 for i in group if i.event), sum(1 for i in group if i.article))
            for year, group in _by_year(items)]


def _chronology_spec(linked: LinkedSite, strings: Mapping[str, object]) -> PageSpec:
    items = timeline_items(linked)
    changes = area_changes(linked.site)
    return PageSpec(CHRONOLOGY_PATH, "chronology.html", strings["chronology_title"], {
        "structured_data": metadata.events(linked, linked.site.events),
        "event_count": len(linked.site.events),
        "timeline_by_year": _by_year(items),
        "kinds": sorted({item.kind for item in items}),
        "area_changes": changes,
        "area_chart": _area_step_chart(changes, CHRONOLOGY_PATH, strings),
    })


def _area_step_chart(changes, page: PurePosixPath, strings: Mapping[str, object]) -> Markup:
    points = [
        charts.StepPoint(c.when, format_date(c.event.date, words=date_words(strings)), c.total, c.change, c.event.title,
                         relative_url(page, target_path(c.event)))
        for c in changes
    ]
    return Markup(charts.step_chart_svg(
        points, chart_id="area-chart", title=strings["chart_area_title"],
        description=strings["chart_area_description"],
        x_label=strings["chart_area_x"], y_label=strings["chart_area_y"],
    ))


def _area_bar_chart(linked: LinkedSite, page: PurePosixPath, strings: Mapping[str, object]) -> Markup:
    territories = sorted((t for t in linked.site.territories if t.area_km2 is not None),
                         key=lambda t: (-t.area_km2, t.name))
    bars = [charts.Bar(t.name, t.area_km2, relative_url(page, target_path(t))) for t in territories]
    return Markup(charts.bar_chart_svg(
        bars, chart_id="territory-areas", title=strings["chart_bars_title"],
        description=strings["chart_bars_description"], value_label=strings["chart_bars_value"],
    ))

