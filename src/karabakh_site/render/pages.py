"""The page plan: every page of the site, its template and the values it shows.

Kept apart from renderer.py so that what the site publishes (this module) and how a
page is turned into HTML (renderer.py) can be read and changed separately.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
import unicodedata
import functools
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from markupsafe import Markup

from karabakh_site.render import charts, metadata
from karabakh_site.render.cite import bibtex_citation, plain_citation
from karabakh_site.text.dates import format_date
from karabakh_site.site.facets import FacetEntry
from karabakh_site.text.languages import autonym, styled_by_cldr
from karabakh_site.site.link import LinkedSite
from karabakh_site.render.local_names import shown_name
from karabakh_site.text.mentions import fold
from karabakh_site.render.maps import territory_map
from karabakh_site.site.urls import (
    ARTICLES_PATH, CHRONOLOGY_PATH, DATA_PAGE_PATH, FEED_PATH, HOME_PATH, NOT_FOUND_PATH, ROBOTS_PATH, SEARCH_PATH, SITEMAP_PATH, TERRITORIES_PATH, absolute_url, article_path, canonical_url, feed_path_of, in_language, language_folder, page_path, relative_url, target_path, territory_path,
)
from karabakh_site.content.model import Article, Event, Territory
from karabakh_site.render.paging import PAGE_SIZE, make_pager, page_count, paged_path, slice_of
from karabakh_site.text.mentions import Mention
from karabakh_site.content.places import Place, phrases_naming
from karabakh_site.site.quotes import QuotedSource
from karabakh_site.render.reading import reading_guide
from karabakh_site.site.originals import (
    ORIGINALS_PATH, articles_by_original, compare_path, compare_segments, date_line, original_file_path,
    original_page_path,
)
from karabakh_site.site.stats import area_changes, chronology_span, key_figures
from karabakh_site.render.strings import date_words, facet_label
from karabakh_site.render.timeline import ChronologyPlan, count_by_year, kind_path, plan_chronology, plan_kinds, year_groups


@dataclass(frozen=True)
class PageSpec:
    """One page to render: where it goes, with which template and which values."""

    output_path: PurePosixPath
    template: str
    title: str
    values: dict | Callable[[], dict]
    """The values, or, with ``inputs``, a function that makes them."""
    inputs: tuple | None = None
    """Everything ``values`` are made from, when they are made on demand: the page's
    fingerprint is taken over these (with the theme and the values all pages share), so a
    page whose inputs are unchanged is reused without making its values at all (#13: the
    JSON-LD, citations and guide of 10,000 document pages were 7 s of a one-document edit)."""

    def page_values(self) -> dict:
        """The values the template sees, made now when they are made on demand."""
        return self.values() if self.inputs is not None else self.values


@dataclass(frozen=True)
class FacetLink:
    """A link to one of the indexes, as the documents and search pages show them."""

    path: str
    singular: str
    count: int


@dataclass(frozen=True)
class LanguageLink:
    """One language of the language switch (#16): its tag and its name in itself."""

    tag: str
    name: str


def site_values(linked: LinkedSite, strings: Mapping[str, object], language: str) -> dict:
    """Values every page of ``language``'s tree shows (header, navigation, footer); part of every page's inputs.

    ``languages`` is empty for a site in one language, which has no language switch.
    """
    site = linked.site
    languages = site.config.languages if len(site.config.languages) > 1 else ()
    navigation = [(strings["nav_home"], str(HOME_PATH)), (strings["nav_documents"], str(ARTICLES_PATH)),
                  (strings["nav_chronology"], str(CHRONOLOGY_PATH)), (strings["nav_territories"], str(TERRITORIES_PATH))]
    navigation += [(page.title, str(page_path(page))) for page in site.pages]
    return {
        "site": site.config,
        "language": language,
        "languages": tuple(LanguageLink(tag, autonym(tag)) for tag in languages),
        "navigation": navigation,
        "about_page": next((page for page in site.pages if page.slug == "about"), None),
        "facet_links": tuple(FacetLink(target_path(f), f.singular, len(f.entries)) for f in linked.facets),
    }


def plan_pages(linked: LinkedSite, strings: Mapping[str, object], language: str) -> Iterator[PageSpec]:
    """List every page of ``language``'s tree, in a stable order, at its path within the tree.

    Every language has the same pages (#16); the publishing files (feeds, sitemap, robots.txt)
    are the default language's only: the feeds carry the documents, which are not translated,
    and the sitemap lists every language's pages.
    """
    config = linked.site.config
    page_paths = []  # only the paths are kept for the sitemap: each spec's values go with it (#13)
    for spec in _html_specs(linked, strings, language):
        page_paths.append(spec.output_path)
        yield spec
    if language != config.language:
        return
    yield from _feed_specs(linked)
    folders = [language_folder(tag, config.language) for tag in config.languages]
    yield PageSpec(SITEMAP_PATH, "sitemap.xml", "Sitemap", {
        "page_paths": [PurePosixPath(in_language(folder, str(path)))
                       for path in page_paths if path != NOT_FOUND_PATH for folder in folders]})
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


def _html_specs(linked: LinkedSite, strings: Mapping[str, object], language: str) -> Iterator[PageSpec]:
    site = linked.site
    chronology = plan_chronology(linked)
    yield _home_spec(linked, chronology)
    yield from _list_specs(ARTICLES_PATH, "articles.html", strings["documents_title"], linked.articles_by_date, strings)
    for article in linked.articles_by_date:
        yield _article_spec(linked, article, strings, chronology.event_targets, language)
    yield from _chronology_specs(linked, strings, chronology)
    yield PageSpec(TERRITORIES_PATH, "territories.html", strings["territories_title"], {
        "territories": site.territories, "area_chart": _area_bar_chart(linked, TERRITORIES_PATH, strings, language),
        "counts": {t.id: (len(linked.events_by_territory.get(t.id, ())), len(linked.articles_by_territory.get(t.id, ())))
                   for t in site.territories},
        "territory_map": territory_map(site.geography, site.territories),
    })
    for territory in site.territories:
        yield from _territory_specs(linked, territory, strings, chronology.event_targets, language)
    for facet in linked.facets:
        yield from _facet_specs(facet, strings)
    for page in site.pages:
        yield PageSpec(page_path(page), "page.html", page.title, {"page": page, "body": linked.bodies[page.source_path]})
    yield from _original_specs(linked, strings)
    yield PageSpec(DATA_PAGE_PATH, "data.html", strings["data_title"], {})
    yield PageSpec(SEARCH_PATH, "search.html", strings["search_title"], {})
    yield PageSpec(NOT_FOUND_PATH, "404.html", strings["not_found_title"], {})


def paged_title(strings: Mapping[str, object], title: str, number: int, count: int) -> str:
    """A page's title: the list's on its first page, with the page's number on the others."""
    if number == 1:
        return title
    return str(strings["paged_title"]).format(title=title, number=number, count=count)


def _list_specs(first: PurePosixPath, template: str, title: str, entries: Sequence, strings: Mapping[str, object],
                values: dict | None = None, size: int = PAGE_SIZE) -> Iterator[PageSpec]:
    """A list of documents (or index entries) PAGE_SIZE a page: ``entries`` is each page's ListSlice (#13)."""
    count = page_count(len(entries), size)
    for number in range(1, count + 1):
        yield PageSpec(paged_path(first, number), template, paged_title(strings, title, number, count), {
            **(values or {}), "entries": slice_of(entries, number, size), "pages": make_pager(first, number, count),
        })


FACET_INDEX_PAGE_SIZE = 200
"""Entries a page of a facet's index shows: one short line each, so more than a list of documents."""


def _facet_specs(facet, strings: Mapping[str, object]) -> Iterator[PageSpec]:
    """A facet's index of entries, and each entry's list of documents, both in pages."""
    yield from _list_specs(PurePosixPath(target_path(facet)), "facet.html", strings[f"facet_{facet.key}"], facet.entries,
                           strings, {"facet": facet}, FACET_INDEX_PAGE_SIZE)
    for entry in facet.entries:
        values = {"facet": facet, "entry": entry}
        if facet.key == "tags" and has_feed(entry.articles):
            values["feed"] = feed_path_of(entry)
        title = f"{strings[f'facet_{facet.singular}']}: {entry_name(strings, entry)}"
        yield from _list_specs(PurePosixPath(target_path(entry)), "facet_entry.html", title, entry.articles, strings, values)


def entry_name(strings: Mapping[str, object], entry: FacetEntry) -> str:
    """An index entry's name for readers: a document type's is the interface string ``type_<value>`` (#15)."""
    if entry.facet_key == "types":
        return str(strings[f"type_{entry.label}"])
    return facet_label(strings, entry.label)


def _territory_specs(linked: LinkedSite, territory: Territory, strings: Mapping[str, object],
                     event_targets: Mapping[str, str], language: str) -> Iterator[PageSpec]:
    """A territory's pages: the k-th page shows the k-th PAGE_SIZE of each of its lists (#13).

    Its documents are one list, each document once with the sentences that name the territory
    and, under each place's name, those that name a place in it (#15: a document naming the
    district and its city was listed twice). A place's section lists only the documents that
    name the place and not the territory. The first page holds the territory's description and
    every place's section, which mentions in the texts link to.
    """
    events = linked.events_by_territory.get(territory.id, ())
    articles = linked.articles_by_territory.get(territory.id, ())
    listed = {article.slug for article in articles}
    mentions = {article.slug: found for article, found in linked.mentions_by_territory.get(territory.id, ())}
    place_mentions: dict[str, list] = {}
    places = []
    for place in linked.site.places:
        if place.territory_id != territory.id or place.id not in linked.place_mentions:
            continue
        groups = linked.place_mentions[place.id]
        for article, found in groups:
            if article.slug in listed:
                place_mentions.setdefault(article.slug, []).append((place, found))
        places.append((place, tuple(g for g in groups if g[0].slug not in listed),
                       sum(1 for article, _ in groups if article.slug in listed)))
    count = max(page_count(len(events)), page_count(len(articles)), *(page_count(len(g)) for _, g, _ in places))
    first = territory_path(territory)
    not_mentions = phrases_naming(linked.site.not_mentions, (territory.name, *territory.aliases))
    towns = tuple(town for town in linked.place_by_id.values() if town.territory_id == territory.id)
    feed = feed_path_of(territory) if has_feed(articles) else None
    for number in range(1, count + 1):
        page_events = slice_of(events, number)
        documents = slice_of(articles, number)
        places_shown = [(place, shown, above) for place, groups, above in places
                        for shown in (slice_of(groups, number),) if number == 1 or shown.entries]
        event_quotes = _event_quotes(linked, page_events.entries)
        shown_targets = {event.id: event_targets[event.id] for event in page_events.entries}
        inputs = (territory, language, number, count, page_events, event_quotes, shown_targets, documents,
                  tuple(_mentions_token(linked, article) if article.slug in mentions or article.slug in place_mentions
                        else None for article in documents.entries),
                  tuple((place, shown.first, shown.last, shown.total, above,
                         tuple((article, _mentions_token(linked, article)) for article, _ in shown.entries))
                        for place, shown, above in places_shown),
                  towns, not_mentions, feed,
                  (linked.site.geography, linked.site.territories) if number == 1 else None)
        yield PageSpec(paged_path(first, number), "territory.html",
                       paged_title(strings, shown_name(territory, language), number, count),
                       functools.partial(_territory_values, linked, territory, language, number, count, page_events,
                                         event_quotes, shown_targets, documents, mentions, place_mentions,
                                         places_shown, not_mentions, feed),
                       inputs)


def _mentions_token(linked: LinkedSite, article: Article) -> object:
    """What fixes the mentions a territory page lists of ``article``: its body's digest (the
    mentions are part of the body, each with its territory or place), or the body itself when
    no digest is kept. The page's mention groups are then neither made nor hashed when its
    inputs are unchanged (#13: 270,000 mentions at 10,000 documents). A document listed
    without mentions here (named in its front matter, or in a ``not_mentions`` phrase) stands
    as None: its text may change without changing the page."""
    digest = linked.body_digests.get(article.source_path)
    return digest if digest is not None else linked.bodies[article.source_path]


def _territory_values(linked: LinkedSite, territory: Territory, language: str, number: int, count: int,
                      page_events, event_quotes, shown_targets, documents, mentions, place_mentions,
                      places_shown, not_mentions, feed) -> dict:
    """The values of a territory's ``number``-th page, made when it is rendered."""
    return {
        "structured_data": metadata.place(linked, territory) if number == 1 else None,
        "feed": feed,
        "territory": territory,
        "search_names": search_names([territory], language) if number == 1 else (),
        "events": page_events,
        "event_quotes": event_quotes,
        "event_targets": shown_targets,
        "documents": documents,
        "mention_groups": {a.slug: _mention_groups(mentions.get(a.slug, ()), place_mentions.get(a.slug, ()))
                           for a in documents.entries},
        "places": [(place, replace(shown, entries=tuple((a, MentionGroup(place, tuple(m))) for a, m in shown.entries)), above)
                   for place, shown, above in places_shown],
        "not_mentions": not_mentions,
        "pages": make_pager(territory_path(territory), number, count),
        "territory_map": territory_map(linked.site.geography, linked.site.territories, territory) if number == 1 else None,
    }


SENTENCES_SHOWN = 3
"""Sentences a list shows of one document's mentions of one territory or place; the document marks every one (#13)."""


@dataclass(frozen=True)
class Sentence:
    """One sentence around a document's mentions, each mention in it marked once (#15: a sentence
    naming Kalbajar twice was shown twice)."""

    anchor: str
    """The first mention's id in the document, where the sentence's link leads."""
    parts: tuple[tuple[str, bool], ...]
    """The sentence's text in order, each piece with whether it is a mention."""


@dataclass(frozen=True)
class MentionGroup:
    """A document's mentions of the territory (``place`` None) or of one place in it.

    Only the mentions are held; what the list shows of them is worked out when a template
    asks, so a page that is not rendered (its fingerprint unchanged) never builds its
    sentences, and its fingerprint hashes the mentions alone (#13: two million values at
    10,000 documents).
    """

    place: Place | None
    mentions: tuple[Mention, ...]

    @property
    def count(self) -> int:
        return len(self.mentions)

    @functools.cached_property
    def _shown(self) -> tuple[tuple[Sentence, ...], int]:
        """The first SENTENCES_SHOWN sentences, and how many mentions they hold; mentions in one
        sentence (same line, same text) share it. Only the sentences shown are built, so a
        document with thousands of mentions costs no more."""
        mentions = self.mentions
        sentences: list[Sentence] = []
        index = 0
        while index < len(mentions) and len(sentences) < SENTENCES_SHOWN:
            same = [mentions[index]]
            while index + len(same) < len(mentions) and _same_sentence(same[-1], mentions[index + len(same)]):
                same.append(mentions[index + len(same)])
            sentences.append(_sentence(same))
            index += len(same)
        return tuple(sentences), index

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self._shown[0]

    @property
    def next_anchor(self) -> str | None:
        """The first mention not in the sentences shown, where "N more in the document" leads."""
        shown = self._shown[1]
        return self.mentions[shown].anchor if shown < len(self.mentions) else None

    @property
    def more(self) -> int:
        return len(self.mentions) - self._shown[1]


def _mention_groups(found: Sequence[Mention], by_place: Sequence[tuple[Place, Sequence[Mention]]]) -> tuple[MentionGroup, ...]:
    """A document's mentions on a territory page: the territory's first, then each place's."""
    groups = [(None, found)] if found else []
    return tuple(MentionGroup(place, tuple(mentions)) for place, mentions in [*groups, *by_place])


def _same_sentence(previous: Mention, other: Mention) -> bool:
    """Whether ``other`` is later in the sentence around ``previous``: the same line and text, a later place."""
    return (previous.line == other.line
            and previous.before + previous.text + previous.after == other.before + other.text + other.after
            and len(other.before) >= len(previous.before) + len(previous.text))


def _sentence(mentions: Sequence[Mention]) -> Sentence:
    """One sentence with each of ``mentions`` (in text order, all in it) marked."""
    text = mentions[0].before + mentions[0].text + mentions[0].after
    parts: list[tuple[str, bool]] = []
    at = 0
    for mention in mentions:
        start = len(mention.before)
        if start > at:
            parts.append((text[at:start], False))
        parts.append((mention.text, True))
        at = start + len(mention.text)
    if at < len(text):
        parts.append((text[at:], False))
    return Sentence(mentions[0].anchor, tuple(parts))


def _home_spec(linked: LinkedSite, chronology: ChronologyPlan) -> PageSpec:
    timeline = [item for page in chronology.pages for item in page.entries]
    return PageSpec(HOME_PATH, "home.html", linked.site.config.title, {
        "structured_data": metadata.website(linked),
        "latest": linked.articles_by_date[:5],
        "figures": key_figures(linked.site),
        "year_axis": year_axis(count_by_year(timeline), chronology.year_targets),
        "territory_map": territory_map(linked.site.geography, linked.site.territories),
    })


BAR_LEVELS = 10
"""Heights a year's bar can take on the home page's time axis: styled by class, as the pages allow no inline style."""


@dataclass(frozen=True)
class YearBar:
    """One year on the home page's time axis: every year between the first and last has one (#15),
    so a gap of years with nothing shows as a gap."""

    year: int
    events: int
    documents: int
    target: str | None
    """Where the year begins in the chronology; None for a year with nothing in it."""
    level: int
    """The bar's height, 1..BAR_LEVELS, from the year's events and documents against the busiest year's; 0 for none."""


def year_axis(counts: Sequence[tuple[int, int, int]], targets: Mapping[int, str]) -> tuple[YearBar, ...]:
    """Every year from the first to the last of ``counts`` ((year, events, documents), in order)."""
    if not counts:
        return ()
    by_year = {year: (events, documents) for year, events, documents in counts}
    busiest = max(events + documents for _, events, documents in counts)
    return tuple(
        YearBar(year, *by_year.get(year, (0, 0)), targets.get(year) if year in by_year else None,
                -(-sum(by_year[year]) * BAR_LEVELS // busiest) if year in by_year else 0)
        for year in range(counts[0][0], counts[-1][0] + 1))


def article_page(linked: LinkedSite, article: Article, strings: Mapping[str, object],
                 event_targets: Mapping[str, str]) -> PageSpec:
    """The page of one document alone (``serve``'s preview of a saved document, #13);
    ``event_targets`` is ``plan_chronology(linked).event_targets``."""
    return _article_spec(linked, article, strings, event_targets, linked.site.config.language)


def _article_spec(linked: LinkedSite, article: Article, strings: Mapping[str, object],
                  event_targets: Mapping[str, str], language: str) -> PageSpec:
    """A document's page, its values made only when it is rendered; ``inputs`` lists what
    they are made from besides the shared values (the site's settings, the language, the
    theme and its strings), each read below from these and nothing else."""
    body = linked.bodies[article.source_path]
    territories = tuple(linked.territory_by_id[t] for t in linked.territories_of[article.slug])
    places = tuple(linked.place_by_id[p] for p in linked.places_of.get(article.slug, ()))
    events = linked.events_by_article.get(article.slug, ())
    inputs = (
        article, article.body, body, territories, places,
        tuple(linked.territory_by_id[p.territory_id] for p in places),
        events, tuple(event_targets[e.id] for e in events), tuple(linked.event_quotes.get(e.id, ()) for e in events),
        linked.neighbours.get(article.slug), linked.related.get(article.slug, ()),
        linked.facet_entries_of.get(article.slug), tuple(f.key for f in linked.facets),
    )
    return PageSpec(article_path(article), "article.html", article.title,
                    functools.partial(_article_values, linked, article, strings, event_targets, language), inputs)


def _article_values(linked: LinkedSite, article: Article, strings: Mapping[str, object],
                    event_targets: Mapping[str, str], language: str) -> dict:
    config = linked.site.config
    url = canonical_url(config.base_url, article_path(article))
    body = linked.bodies[article.source_path]
    mentions = body.mentions
    territories = [linked.territory_by_id[t] for t in linked.territories_of[article.slug]]
    events = linked.events_by_article.get(article.slug, ())
    event_quotes = _event_quotes(linked, events, article)
    return {
        "structured_data": metadata.news_article(linked, article, strings["title_by_archive"]),
        "og_type": "article",
        "published": metadata.iso_date(article.date),
        "article": article,
        "body": body,
        "guide": reading_guide(article.body, body, territories, events, event_quotes),
        "territories": territories,
        "search_names": search_names(territories, language),
        "mention_counts": {t: sum(1 for m in mentions if m.territory_id == t and m.place_id is None)
                           for t in linked.territories_of[article.slug]},
        "events": events,
        "event_targets": {e.id: event_targets[e.id] for e in events},
        "event_quotes": event_quotes,
        "neighbours": linked.neighbours.get(article.slug),
        "related": linked.related.get(article.slug, ()),
        "facet_entries": linked.facet_entries_of.get(article.slug, {f.key: {} for f in linked.facets}),
        "citation": plain_citation(article, config, url, strings),
        "bibtex": bibtex_citation(article, config, url),
        "edit_url": _edit_url(linked, article.repo_path),
        "original": _original_links(article),
    }


def search_names(territories: Iterable[Territory], language: str | None = None) -> tuple[tuple[str, ...], ...]:
    """Each territory's name, then its aliases and every name folded as static/search.js folds a query (#15).

    Why: a reader who types "Shushi" or "Kəlbəcər" means a territory the archive knows, though
    the texts write "Shusha" and "Kalbajar"; pages index these names (hidden) so that any of
    them finds the territory's page and its documents. The folded forms ("susa", "kelbecer")
    are what a folded query looks for: fold() is the mention matcher's, which also maps ə and ı,
    letters Pagefind keeps as they are.

    With ``language``, the names a reader of that interface may type (#16): those in Latin
    letters, and those written in the interface's language ("Քարվաճառ" in the Armenian one),
    each tree's index holding its own; the pages near their weight budget carry no other script's.
    """
    return tuple(_names_known(territory, language) for territory in territories)


_NAMES_KNOWN: dict[tuple[int, str | None], tuple[Territory, tuple[str, ...]]] = {}


def _names_known(territory: Territory, language: str | None) -> tuple[str, ...]:
    """``_names_of``, worked out once per territory and language: 10,000 document pages ask
    for the same 40 territories' names (#13). Found by identity, the territory kept alive
    beside its names so that a new territory at the same address is never taken for it."""
    entry = _NAMES_KNOWN.get((id(territory), language))
    if entry is None or entry[0] is not territory:
        if len(_NAMES_KNOWN) > 4096:  # serve makes new territories at each rebuild
            _NAMES_KNOWN.clear()
        entry = _NAMES_KNOWN[(id(territory), language)] = (territory, _names_of(territory, language))
    return entry[1]


def _names_of(territory: Territory, language: str | None = None) -> tuple[str, ...]:
    names = (territory.name, *(alias.name for alias in territory.labelled_aliases
                               if language is None or _typed_in(alias, language)))
    written = {" ".join(name.casefold().split()) for name in names}
    return tuple(dict.fromkeys([*names, *(fold(name) for name in names if fold(name) not in written)]))


def _typed_in(alias, language: str) -> bool:
    """Whether a reader of the ``language`` interface may type ``alias``: written in it (or in a language
    not given), or in Latin letters."""
    if alias.lang is None or alias.lang.split("-")[0] == language.split("-")[0]:
        return True
    return all(not letter.isalpha() or unicodedata.name(letter, "").startswith("LATIN") for letter in alias.name)


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
    yield from _list_specs(ORIGINALS_PATH, "originals.html", strings["originals_title"], [
        {"name": o.name, "date_line": date_line(o), "file": original_file_path(o.name), "page": original_page_path(o.name),
         "articles": [(a, compare_path(a)) for a in made_from.get(o.name, ())]} for o in originals], strings)
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


AREA_TABLE_PAGES = PurePosixPath("chronology/area/index.html")
"""The area table's later pages go below this path (``chronology/area/page/2/index.html``);
its first page is part of the chronology's first page, with the chart."""


def area_table_path(number: int) -> PurePosixPath:
    """The page that holds page ``number`` of the area table."""
    return CHRONOLOGY_PATH if number == 1 else paged_path(AREA_TABLE_PAGES, number)


def _area_table_link(number: int) -> str:
    return f"{CHRONOLOGY_PATH}#area-heading" if number == 1 else str(area_table_path(number))


def _chronology_specs(linked: LinkedSite, strings: Mapping[str, object], plan: ChronologyPlan) -> Iterator[PageSpec]:
    """The timeline in pages; the first also shows the area the texts call "occupied" over time.

    The area table is a list of its own, in pages of its own after the first (#13: with an
    area change for every third event it would not fit on the chart's page). Each kind of
    entry has its own timeline too, the chronology's filter that needs no JavaScript (#15).
    """
    changes = area_changes(linked.site)
    count, area_count = len(plan.pages), page_count(len(changes))
    kinds = plan_kinds(plan)
    common = {"event_count": len(linked.site.events), "year_targets": plan.year_targets,
              "kind_pages": {kind: str(kind_path(kind)) for kind in kinds}, "kind": None,
              "structured_data": None, "entries": None, "timeline_by_year": None, "pages": None,
              "area": None, "area_pages": None, "area_chart": None, "event_targets": {}}
    for number, page in enumerate(plan.pages, 1):
        path = paged_path(CHRONOLOGY_PATH, number)
        values = {**common, "entries": page, "timeline_by_year": year_groups(page.entries, plan.year_targets, path),
                  "structured_data": _events_data(linked, tuple(i.event for i in page.entries if i.event), plan.event_targets),
                  "pages": make_pager(CHRONOLOGY_PATH, number, count)}
        if number == 1:
            values.update(_area_values(changes, 1, area_count, plan.event_targets),
                          area_chart=_area_step_chart(changes, path, strings, chronology_span(linked.site), plan.event_targets))
        yield PageSpec(path, "chronology.html", paged_title(strings, strings["chronology_title"], number, count), values)
    for number in range(2, area_count + 1):
        yield PageSpec(area_table_path(number), "chronology.html",
                       paged_title(strings, strings["area_table_label"], number, area_count),
                       {**common, **_area_values(changes, number, area_count, plan.event_targets)})
    for kind, kind_plan in kinds.items():
        yield from _kind_specs(kind, kind_plan, strings, common)


def _kind_specs(kind: str, plan: ChronologyPlan, strings: Mapping[str, object], common: dict) -> Iterator[PageSpec]:
    """The timeline of one kind of entry, in pages, with year links to its own years.

    The title quotes the kind as its interface string does ("“Occupation” (the texts’
    word)"): the kind is the texts' word, never the archive's.
    """
    first, count = kind_path(kind), len(plan.pages)
    title = str(strings["chronology_kind_title"]).format(kind=strings[f"kind_{kind}"])
    for number, page in enumerate(plan.pages, 1):
        path = paged_path(first, number)
        yield PageSpec(path, "chronology.html", paged_title(strings, title, number, count), {
            **common, "kind": kind, "year_targets": plan.year_targets, "entries": page,
            "timeline_by_year": year_groups(page.entries, plan.year_targets, path),
            "pages": make_pager(first, number, count),
        })


def _area_values(changes, number: int, count: int, event_targets: Mapping[str, str]) -> dict:
    """Page ``number`` of the area table: its rows, its page links, where its events are."""
    rows = slice_of(changes, number)
    return {"area": rows, "area_pages": make_pager(CHRONOLOGY_PATH, number, count, path_of=_area_table_link),
            "event_targets": {change.event.id: event_targets[change.event.id] for change in rows.entries}}


def _events_data(linked: LinkedSite, events: tuple[Event, ...], event_targets: Mapping[str, str]) -> dict:
    """The page's events as JSON-LD, each with the address of the page that holds it."""
    data = metadata.events(linked, events)
    for node, event in zip(data["@graph"], events):
        node["url"] = absolute_url(linked.site.config.base_url, event_targets[event.id])
    return data


def _area_step_chart(changes, page: PurePosixPath, strings: Mapping[str, object], span,
                     event_targets: Mapping[str, str]) -> Markup:
    """The archive's running sum of the table's areas; a change dated to a span is drawn over the span."""
    points = [
        charts.StepPoint(c.when, format_date(c.event.date, words=date_words(strings)), c.total, c.change, c.event.title,
                         relative_url(page, event_targets[c.event.id]), c.start)
        for c in changes
    ]
    return Markup(charts.step_chart_svg(
        points, chart_id="area-chart", title=strings["chart_area_title"],
        description=strings["chart_area_description"],
        x_label=strings["chart_area_x"], y_label=strings["chart_area_y"], span=span,
        legend=(strings["chart_area_line_legend"], strings["chart_area_span_legend"], strings["chart_area_number_legend"]),
        sum_word=strings["chart_area_sum_word"], span_word=strings["chart_area_span_word"],
        locale=styled_by_cldr(getattr(strings, "language", "en")),
    ))


def _area_bar_chart(linked: LinkedSite, page: PurePosixPath, strings: Mapping[str, object], language: str) -> Markup:
    territories = sorted((t for t in linked.site.territories if t.area_km2 is not None),
                         key=lambda t: (-t.area_km2, t.name))
    bars = [charts.Bar(t.name_in(language) or t.name, t.area_km2, relative_url(page, target_path(t)), shown_name(t, language))
            for t in territories]
    return Markup(charts.bar_chart_svg(
        bars, chart_id="territory-areas", title=strings["chart_bars_title"],
        description=strings["chart_bars_description"], value_label=strings["chart_bars_value"],
        locale=styled_by_cldr(language),
    ))

