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
from karabakh_site.places import phrases_naming
from karabakh_site.quotes import QuotedSource
from karabakh_site.originals import (
    ORIGINALS_PATH, articles_by_original, compare_path, compare_segments, date_line, original_file_path,
    original_page_path,
)
from karabakh_site.stats import area_changes, chronology_span, key_figures
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
    quotes: tuple[QuotedSource, ...] = ()
    """The words of those documents that state it, each linked to its paragraph (#12)."""


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
        if has_feed(entry.articles):
            yield _feed_spec(feed_path_of(entry), PurePosixPath(target_path(entry)),
                             f"{site.config.title}: {entry.label}", entry.articles)
    for territory in site.territories:
        if has_feed(linked.articles_by_territory.get(territory.id, ())):
            yield _feed_spec(feed_path_of(territory), territory_path(territory),
                             f"{site.config.title}: {territory.name}", linked.articles_by_territory.get(territory.id, ()))


def has_feed(articles) -> bool:
    """Whether a tag's or territory's feed would have an entry: one document dated to a day.

    An empty feed would need an invented ``updated`` time stamp, so none is written or linked.
    """
    return any(article.date and article.date.is_exact_day for article in articles)


def _feed_spec(path: PurePosixPath, page: PurePosixPath, title: str, articles, bodies=None) -> PageSpec:
    """Documents dated to one exact day, newest first (the site's date order), at most FEED_LIMIT.

    Atom requires a time stamp for every entry; a document dated 'July 2021 (approx.)' or
    '20 July 2021 or later' has none, and inventing one would state a day the text does not
    give (issue 12). Such documents, like undated ones, are counted in the feed's subtitle.
    """
    dated = [a for a in articles if a.date]
    exact = [a for a in dated if a.date.is_exact_day]
    entries = exact[:FEED_LIMIT]
    return PageSpec(path, "feed.xml", title, {
        "entries": entries, "updated": entries[0].date if entries else None, "html_page": page,
        "undated_count": len(articles) - len(dated), "inexact_count": len(dated) - len(exact),
        "older_count": len(exact) - len(entries),
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
            "feed": feed_path_of(territory) if has_feed(linked.articles_by_territory.get(territory.id, ())) else None,
            "territory": territory,
            "events": linked.events_by_territory.get(territory.id, ()),
            "event_quotes": _event_quotes(linked, linked.events_by_territory.get(territory.id, ())),
            "articles": linked.articles_by_territory.get(territory.id, ()),
            "mentions": linked.mentions_by_territory.get(territory.id, ()),
            "places": [(place, linked.place_mentions[place.id]) for place in linked.site.places
                       if place.territory_id == territory.id and place.id in linked.place_mentions],
            "not_mentions": phrases_naming(linked.site.not_mentions, (territory.name, *territory.aliases)),
        })
    for facet in linked.facets:
        yield PageSpec(PurePosixPath(target_path(facet)), "facet.html", strings[f"facet_{facet.key}"], {"facet": facet})
        for entry in facet.entries:
            values = {"facet": facet, "entry": entry}
            if facet.key == "tags" and has_feed(entry.articles):
                values["feed"] = feed_path_of(entry)
            title = f"{strings[f'facet_{facet.singular}']}: {facet_label(strings, entry.label)}"
            yield PageSpec(PurePosixPath(target_path(entry)), "facet_entry.html", title, values)
    for page in site.pages:
        yield PageSpec(page_path(page), "page.html", page.title, {"page": page, "body": linked.bodies[page.source_path]})
    yield from _original_specs(linked, strings)
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
        "structured_data": metadata.news_article(linked, article, strings["title_by_archive"]),
        "og_type": "article",
        "published": metadata.iso_date(article.date),
        "article": article,
        "body": linked.bodies[article.source_path],
        "territories": [linked.territory_by_id[t] for t in linked.territories_of[article.slug]],
        "mention_counts": {t: sum(1 for m in mentions if m.territory_id == t and m.place_id is None)
                           for t in linked.territories_of[article.slug]},
        "events": linked.events_by_article.get(article.slug, ()),
        "event_quotes": _event_quotes(linked, linked.events_by_article.get(article.slug, ()), article),
        "neighbours": linked.neighbours.get(article.slug),
        "related": linked.related.get(article.slug, ()),
        "facet_entries": linked.facet_entries_of.get(article.slug, {f.key: {} for f in linked.facets}),
        "citation": plain_citation(article, config, url, strings),
        "bibtex": bibtex_citation(article, config, url),
        "edit_url": _edit_url(linked, article.repo_path),
        "original": _original_links(article),
    })


def _event_quotes(linked: LinkedSite, events: tuple[Event, ...],
                  article: Article | None = None) -> dict[str, tuple[QuotedSource, ...]]:
    """Each event's quotes (only those from ``article`` on its own page), for the readers to check."""
    return {event.id: tuple(q for q in linked.event_quotes.get(event.id, ()) if article is None or q.article.slug == article.slug)
            for event in events}


def _original_links(article: Article) -> dict[str, PurePosixPath] | None:
    """Where a reader finds the article's original: as received, as a page, and compared."""
    if not article.original:
        return None
    return {"file": original_file_path(article.original), "page": original_page_path(article.original),
            "compare": compare_path(article)}


def _original_specs(linked: LinkedSite, strings: Mapping[str, object]) -> Iterator[PageSpec]:
    """The list of originals, a page for each, and each article's compare view (#12)."""
    made_from = articles_by_original(linked.articles_by_date)
    originals = linked.site.originals
    yield PageSpec(ORIGINALS_PATH, "originals.html", strings["originals_title"], {
        "originals": [{"name": o.name, "date_line": date_line(o), "file": original_file_path(o.name),
                       "page": original_page_path(o.name),
                       "articles": [(a, compare_path(a)) for a in made_from.get(o.name, ())]} for o in originals]})
    for original in originals:
        yield PageSpec(original_page_path(original.name), "original.html",
                       strings["original_title"].format(name=original.name), {
                           "name": original.name, "text": original.text, "date_line": date_line(original),
                           "articles": made_from.get(original.name, ()), "file": original_file_path(original.name),
                       })
        for article in made_from.get(original.name, ()):
            yield PageSpec(compare_path(article), "compare.html", strings["compare_title"].format(title=article.title), {
                "article": article, "name": original.name, "date_line": date_line(original),
                "others": [other for other in made_from[original.name] if other is not article],
                "segments": compare_segments(original, article, made_from[original.name]),
                "file": original_file_path(original.name), "page": original_page_path(original.name),
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
                     sources=tuple(linked.article_by_slug[slug] for slug in e.source_slugs),
                     quotes=linked.event_quotes.get(e.id, ()))
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
        "area_chart": _area_step_chart(changes, CHRONOLOGY_PATH, strings, chronology_span(linked.site)),
    })


def _area_step_chart(changes, page: PurePosixPath, strings: Mapping[str, object], span=None) -> Markup:
    """The archive's running sum of the table's areas; a change dated to a span is drawn over the span."""
    points = [
        charts.StepPoint(c.when, format_date(c.event.date, words=date_words(strings)), c.total, c.change, c.event.title,
                         relative_url(page, target_path(c.event)), c.start)
        for c in changes
    ]
    return Markup(charts.step_chart_svg(
        points, chart_id="area-chart", title=strings["chart_area_title"],
        description=strings["chart_area_description"],
        x_label=strings["chart_area_x"], y_label=strings["chart_area_y"], span=span,
        legend=(strings["chart_area_line_legend"], strings["chart_area_span_legend"]),
        sum_word=strings["chart_area_sum_word"], span_word=strings["chart_area_span_word"],
    ))


def _area_bar_chart(linked: LinkedSite, page: PurePosixPath, strings: Mapping[str, object]) -> Markup:
    territories = sorted((t for t in linked.site.territories if t.area_km2 is not None),
                         key=lambda t: (-t.area_km2, t.name))
    bars = [charts.Bar(t.name, t.area_km2, relative_url(page, target_path(t))) for t in territories]
    return Markup(charts.bar_chart_svg(
        bars, chart_id="territory-areas", title=strings["chart_bars_title"],
        description=strings["chart_bars_description"], value_label=strings["chart_bars_value"],
    ))

