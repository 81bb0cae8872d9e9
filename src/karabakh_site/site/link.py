"""Cross-reference the model: check references, render bodies (URLs come from urls.py).

After this stage nothing can point at something that does not exist: an event citing an
unknown article, an article listing an unknown territory or two territories sharing an
alias are content errors naming the file and line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from karabakh_site.cache import BuildCache, body_digest, copy_entry, generator_digest, get_many
from karabakh_site.errors import Problems, did_you_mean
from karabakh_site.site.facets import Facet, FacetEntry, build_facets, entries_by_article
from karabakh_site.text import markdown as _markdown
from karabakh_site.text.markdown import RenderedBody, render_markdown
from karabakh_site.text.mentions import Mention, NameMatcher
from karabakh_site.content.model import Article, Event, Page, Site, Territory
from karabakh_site.parallel import imap_in_processes
from karabakh_site.content.places import Place, check_names, check_not_mentions_found, check_places, group_mentions, places_named
from karabakh_site.site.name_changes import Names, changed_words, may_name
from karabakh_site.site.quotes import PARAGRAPH_TYPES, QuotedSource, check_event_quotes
from karabakh_site.site.related import Related, rank_all_related_kept
from karabakh_site.site.urls import article_path, page_path, relative_url, territory_path


@dataclass(frozen=True)
class Neighbours:
    """The articles before and after one article in date order."""

    previous: Article | None
    next: Article | None


@dataclass(frozen=True)
class LinkedSite:
    """The model with every reference resolved and every body rendered."""

    site: Site
    articles_by_date: tuple[Article, ...]
    """Newest first; undated articles last, by title."""
    bodies: dict[str, RenderedBody]
    """Rendered Markdown of every article and page, keyed by source_path."""
    territory_by_id: dict[str, Territory]
    article_by_slug: dict[str, Article]
    events_by_territory: dict[str, tuple[Event, ...]]
    territories_of: dict[str, tuple[str, ...]]
    """Article slug -> territory ids: those its front matter lists, then those its text names."""
    articles_by_territory: dict[str, tuple[Article, ...]]
    mentions_by_territory: dict[str, tuple[tuple[Article, tuple[Mention, ...]], ...]]
    """Territory id -> (article, its mentions of the territory), in article date order."""
    events_by_article: dict[str, tuple[Event, ...]]
    neighbours: dict[str, Neighbours]
    related: dict[str, tuple[Related, ...]]
    facets: tuple[Facet, ...]
    facet_entries_of: dict[str, dict[str, dict[str, FacetEntry]]]
    """Article slug -> facet key -> {label: entry} of the index entries listing it."""
    event_quotes: dict[str, tuple[QuotedSource, ...]] = field(default_factory=dict)
    """Event id -> its quotes, each placed in the paragraph of its document (issue 12)."""
    place_by_id: dict[str, Place] = field(default_factory=dict)
    bodies_rendered: int = 0
    """How many of the bodies this build rendered (the others came from the cache), for ``-v``."""
    body_digests: dict[str, bytes] = field(default_factory=dict)
    """source_path -> fingerprint of its rendered body's content, kept in the cache so a warm
    build's page fingerprints need not hash every body's HTML again (#13)."""
    place_mentions: dict[str, tuple[tuple[Article, tuple[Mention, ...]], ...]] = field(default_factory=dict)
    """Place id -> (article, its mentions of the place), in article date order (#12)."""
    places_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Article slug -> ids of the places its text names."""


BODY_TYPES = (RenderedBody, _markdown.Heading, _markdown.Link, _markdown.Paragraph, Mention, *PARAGRAPH_TYPES)
"""The dataclasses a cached body is made of: the only types the cache may build (#13)."""


def link_site(site: Site, cache: BuildCache | None = None, workers: int = 1) -> tuple[LinkedSite | None, Problems]:
    """Check every cross-reference, then compute the relations the pages show.

    A reference to something the model left out for its errors (``site.withheld``) is not
    checked, and bodies are rendered and their links checked even after a reference problem,
    so one run reports them all (#14); with any problem, no LinkedSite is returned.
    """
    problems = Problems()
    territory_by_id = _index_territories(site, problems)
    article_by_slug = {article.slug: article for article in site.articles}
    _check_event_ids(site, problems)
    _check_aliases(site, problems)
    if not site.withheld.chronology:
        check_places(site.places, territory_by_id.keys() | site.withheld.territories, site.chronology_path, problems)
    _check_article_territories(site, territory_by_id, problems)
    _check_event_references(site, territory_by_id, article_by_slug, problems)
    event_quotes, quote_problems = check_event_quotes(site.events, article_by_slug, site.chronology_path, workers, cache)
    problems.extend(quote_problems.items)
    bodies, body_digests, bodies_rendered = _render_bodies(site, territory_by_id, problems,
                                                          cache if cache is not None else BuildCache(), workers)
    if problems or site.withheld.partial:
        return None, problems
    articles_by_date = sort_articles(site.articles)
    territories_of = _territories_of(site.articles, bodies)
    names = {territory.id: territory.name for territory in site.territories}
    facets = build_facets(articles_by_date)
    linked = LinkedSite(
        site=site,
        articles_by_date=articles_by_date,
        bodies=bodies,
        body_digests=body_digests,
        bodies_rendered=bodies_rendered,
        territory_by_id=territory_by_id,
        article_by_slug=article_by_slug,
        events_by_territory=_group_events(site.events, lambda e: e.territory_ids),
        territories_of=territories_of,
        articles_by_territory=_group_articles_by_territory(articles_by_date, territories_of),
        mentions_by_territory=group_mentions(articles_by_date, bodies, of_places=False),
        place_by_id={place.id: place for place in site.places},
        place_mentions=group_mentions(articles_by_date, bodies, of_places=True),
        places_of=places_named(site.articles, bodies),
        events_by_article=_group_events(site.events, lambda e: e.source_slugs),
        event_quotes=event_quotes,
        neighbours=_neighbours(articles_by_date),
        related=rank_all_related_kept(articles_by_date, territories_of, names, cache.derived if cache is not None else {}),
        facets=facets,
        facet_entries_of=entries_by_article(facets),
    )
    return linked, problems


def sort_articles(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Order newest first by latest possible day; undated last, by title then slug."""
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date.sort_key, a.slug), reverse=True)
    undated = sorted((a for a in articles if not a.date), key=lambda a: (a.title.casefold(), a.slug))
    return tuple(dated) + tuple(undated)


def _index_territories(site: Site, problems: Problems) -> dict[str, Territory]:
    territory_by_id: dict[str, Territory] = {}
    for territory in site.territories:
        if territory.id in territory_by_id:
            first = territory_by_id[territory.id]
            problems.add(site.chronology_path, territory.line,
                         f"duplicate territory id {territory.id!r} (first defined on line {first.line})")
        else:
            territory_by_id[territory.id] = territory
    return territory_by_id


def _check_event_ids(site: Site, problems: Problems) -> None:
    first_line: dict[str, int] = {}
    for event in sorted(site.events, key=lambda e: e.line):
        if event.id in first_line:
            problems.add(site.chronology_path, event.line,
                         f"duplicate event id {event.id!r} (first defined on line {first_line[event.id]})")
        first_line.setdefault(event.id, event.line)


def _check_aliases(site: Site, problems: Problems) -> None:
    """A name may lead to one territory or place only, or mentions would be ambiguous."""
    owners = [("territory", t.id, t.line, (t.name, *t.aliases)) for t in site.territories]
    owners += [("place", p.id, p.line, (p.name, *p.aliases)) for p in site.places]
    check_names(owners, site.chronology_path, problems)


def _check_article_territories(site: Site, territory_by_id: dict[str, Territory], problems: Problems) -> None:
    for article in site.articles:
        for territory_id in article.territory_ids:
            if territory_id not in territory_by_id and not site.withheld.has_territory(territory_id):
                problems.add(article.source_path, article.territories_line,
                             f"unknown territory {territory_id!r} in territories",
                             did_you_mean(territory_id, territory_by_id))


def _check_event_references(site: Site, territory_by_id: dict, article_by_slug: dict, problems: Problems) -> None:
    for event in site.events:
        for territory_id in event.territory_ids:
            if territory_id not in territory_by_id and not site.withheld.has_territory(territory_id):
                problems.add(site.chronology_path, event.territories_line,
                             f"event {event.id!r} names unknown territory {territory_id!r}",
                             did_you_mean(territory_id, territory_by_id))
        for source in event.sources:
            if (source.article not in article_by_slug and not site.withheld.has_article(source.article)
                    and source.article not in site.withheld.drafts):
                problems.add(site.chronology_path, source.line,
                             f"event {event.id!r} cites unknown article {source.article!r}",
                             did_you_mean(source.article, article_by_slug)
                             or "articles are file names in content/articles/ without .md")


def _render_bodies(site: Site, territory_by_id: dict[str, Territory], problems: Problems,
                   cache: BuildCache, workers: int) -> tuple[dict[str, RenderedBody], dict[str, bytes], int]:
    """Render every body, turning links to other content files (``x.md``) into page URLs.

    In articles, territory names become mentions linking to the territory pages (#5).
    A body whose inputs are unchanged comes from the cache; the others are rendered on
    all cores (#8).
    """
    documents: tuple[Article | Page, ...] = (*site.articles, *site.pages)
    output_of = {_content_path(d): _output_path(d) for d in documents}
    matcher, names = _matcher_of(site, territory_by_id)
    keys = [_body_key(d, names.digest, output_of) for d in documents]
    stored = get_many(cache.bodies, keys)
    bodies = {d.source_path: body for d, key in zip(documents, keys) if (body := stored.get(key)) is not None}
    del stored
    missing = [(d, key) for d, key in zip(documents, keys) if d.source_path not in bodies]
    if missing:
        bodies.update(_bodies_before_renaming(missing, names, output_of, cache))
        missing = [(d, key) for d, key in missing if d.source_path not in bodies]
    cache.derived[LAST_NAMES] = names.to_json()
    render = partial(_render_body, output_of, matcher, territory_by_id)
    # Each body is stored and hashed as it arrives, while the workers render the next: the
    # 10,000 bodies of a cold build took 7 s to store and hash after they were all rendered (#13).
    rendered = imap_in_processes(render, [d for d, _ in missing], workers)
    for (document, key), body in zip(missing, rendered):
        cache.keep_body(key, body)
        bodies[document.source_path] = body
    bodies = {d.source_path: bodies[d.source_path] for d in documents}  # in the documents' order
    cache.used_bodies.update(keys)
    anchors = _Anchors({_content_path(d): d.source_path for d in documents}, bodies)
    for document in documents:
        _check_body_links(document, bodies[document.source_path], output_of, anchors, site.withheld.documents, problems)
    found = {phrase for article in site.articles for phrase in bodies[article.source_path].not_mentions_found}
    check_not_mentions_found(site.not_mentions, found, site.chronology_path, problems)
    return bodies, _body_digests(documents, keys, bodies, cache), len(missing)


def _matcher_of(site: Site, territory_by_id: dict[str, Territory]) -> tuple[NameMatcher, Names]:
    """The matcher finding territory and place names in text, and the names it looks for."""
    names = {name: t.id for t in site.territories for name in (t.name, *t.aliases)}
    # A place in an unknown territory is reported; its mentions would link nowhere (#14: bodies
    # are rendered even after reference problems).
    place_names = {name: (p.id, p.territory_id) for p in site.places for name in (p.name, *p.aliases)
                   if p.territory_id in territory_by_id}
    phrases = tuple(entry.phrase for entry in site.not_mentions)
    items = frozenset({("territory", name, territory) for name, territory in names.items()}
                      | {("place", name, *target) for name, target in place_names.items()})
    return NameMatcher.from_names(names, place_names, phrases), Names(items, phrases)


LAST_NAMES = b"names:last"
"""The cache's record of the names the last build's bodies were rendered with."""


def _bodies_before_renaming(missing: list[tuple[Article | Page, bytes]], names: Names, output_of: dict,
                            cache: BuildCache) -> dict[str, RenderedBody]:
    """The bodies that changed names cannot have changed, from the cache under the last names (#13).

    Each is stored under its new key too, so the next build finds it at once."""
    last = Names.from_json(cache.derived.get(LAST_NAMES))
    if last is None or last.digest == names.digest:
        return {}
    changed = changed_words(last, names)
    if changed is None:
        return {}
    found = {}
    for document, key in missing:
        if may_name(document.body, changed):
            continue
        old_key = _body_key(document, last.digest, output_of)
        body = cache.bodies.get(old_key)
        if body is not None:
            found[document.source_path] = body
            copy_entry(cache.bodies, old_key, key)
            copy_entry(cache.body_digests, old_key, key)  # the same body: the same content digest
    return found


class BodyRenderer:
    """Renders one saved document's body against an already linked site (``serve``'s preview, #13).

    It holds what every body of the site shares (the name matcher, where each content file
    is published, each document's anchors, found as needed), so a second save costs only
    the document's own Markdown.
    """

    def __init__(self, linked: LinkedSite):
        self.linked = linked
        documents = (*linked.site.articles, *linked.site.pages)
        self.output_of = {_content_path(d): _output_path(d) for d in documents}
        self.matcher = _matcher_of(linked.site, linked.territory_by_id)[0]
        self.anchors = _Anchors({_content_path(d): d.source_path for d in documents}, linked.bodies)

    def render(self, article: Article) -> tuple[RenderedBody, Problems]:
        """The article's body and the problems of its links (to files, anchors, folders)."""
        problems = Problems()
        body = _render_body(self.output_of, self.matcher, self.linked.territory_by_id, article)
        here = _content_path(article)
        self.anchors[here] = _anchors_of(body)
        _check_body_links(article, body, self.output_of, self.anchors, frozenset(), problems)
        self.anchors.pop(here)
        return body, problems


def _body_digests(documents, keys: list[bytes], bodies: dict[str, RenderedBody], cache: BuildCache) -> dict[str, bytes]:
    """The content fingerprint of each body: from the cache, else hashed once and kept there."""
    digests = {}
    for document, key in zip(documents, keys):
        digest = cache.body_digests.get(key)
        if digest is None:
            digest = cache.body_digests[key] = body_digest(bodies[document.source_path])
        digests[document.source_path] = digest
    return digests


_NOT_IN_TARGET = frozenset(" \t\n\r\f\v()<>[]\"'`")


def _md_targets(text: str, here: str, output_of: dict) -> set[str]:
    """The ``.md`` targets the body may link to that exist: a superset of its links to other
    content files. A link's address starts where a run of non-delimiter characters starts
    and ends in ``.md``; each ``.md`` is found by ``str.find`` and its run start carried
    forward, in linear time (a regular expression trying every start position took 2.6 s
    at 10,000 documents). Candidates longer than any content path are skipped."""
    found = set()
    folder = posixpath.dirname(here)
    scanned, run_start = 0, 0  # text before ``scanned`` was walked; its last run began at run_start
    end = text.find(".md")
    while end != -1:
        start = end
        while start > scanned and text[start - 1] not in _NOT_IN_TARGET and not text[start - 1].isspace():
            start -= 1
        if start == scanned and scanned > 0 and text[scanned - 1] not in _NOT_IN_TARGET \
                and not text[scanned - 1].isspace():
            start = run_start  # the run goes on from the last ``.md``: never walk it twice
        if start < end and end + 3 - start <= _LONGEST_TARGET:
            candidate = text[start:end + 3]
            if posixpath.normpath(posixpath.join(folder, candidate)) in output_of:
                found.add(candidate)
        scanned, run_start = end, start
        end = text.find(".md", end + 1)
    return found


_LONGEST_TARGET = 1024


def _body_key(document: Article | Page, names_digest: bytes, output_of: dict) -> bytes:
    """Everything a rendered body depends on: its text and place, the territory names (an
    article's: a page's body has no mentions), and which of the ``.md`` files it may link to
    exist (a superset of its links, found by text)."""
    here = _content_path(document)
    targets = sorted(_md_targets(document.body, here, output_of))
    digest = hashlib.blake2b(digest_size=20)
    for part in (generator_digest(), here, type(document).__name__, str(document.body_line), document.body,
                 names_digest.hex() if isinstance(document, Article) else "", "\0".join(targets)):
        digest.update(part.encode() + b"\0")
    return digest.digest()


def _render_body(output_of: dict, matcher: NameMatcher | None, territory_by_id: dict[str, Territory],
                 document: Article | Page) -> RenderedBody:
    here = _output_path(document)
    rewrite = partial(_rewrite_document_link, _content_path(document), output_of)
    href = lru_cache(maxsize=None)(partial(_territory_href, here, territory_by_id))
    is_article = isinstance(document, Article)
    return render_markdown(document.body, document.body_line, rewrite, matcher if is_article else None, href)


class _Anchors(dict):
    """Content path -> the anchors of its document, each worked out when a link first asks:
    few documents are the target of a link with a fragment (#13: the anchors of all 10,000
    were worked out in every build)."""

    def __init__(self, source_of: dict[str, str], bodies: Mapping[str, RenderedBody]):
        super().__init__()
        self.source_of, self.bodies = source_of, bodies

    def __missing__(self, content_path: str) -> frozenset[str]:
        found = self[content_path] = _anchors_of(self.bodies[self.source_of[content_path]])
        return found


# Ids the theme puts on every document page besides the body's own anchors.
PAGE_ANCHORS = frozenset({"top", "main", "archive-events", "archive-related", "archive-cite", "archive-edits"})


def _anchors_of(body: RenderedBody) -> frozenset[str]:
    """The fragments a link may point at in a document: headings, mentions, paragraphs, the page's sections."""
    return (PAGE_ANCHORS | {h.anchor for h in body.headings} | {m.anchor for m in body.mentions}
            | {p.anchor for p in body.paragraphs})


def _territory_href(from_page: PurePosixPath, territory_by_id: dict[str, Territory], territory_id: str) -> str:
    return relative_url(from_page, str(territory_path(territory_by_id[territory_id])))


def _territories_of(articles: tuple[Article, ...], bodies: dict[str, RenderedBody]) -> dict[str, tuple[str, ...]]:
    return {
        article.slug: tuple(dict.fromkeys(
            [*article.territory_ids, *(m.territory_id for m in bodies[article.source_path].mentions if m.place_id is None)]
        ))
        for article in articles
    }


def _content_path(document: Article | Page) -> str:
    """The document's path inside the content folder, e.g. ``pages/about.md``."""
    return PurePosixPath(*PurePosixPath(document.repo_path).parts[1:]).as_posix()


def _output_path(document: Article | Page) -> PurePosixPath:
    return article_path(document) if isinstance(document, Article) else page_path(document)


def _resolve_content_link(from_content_path: str, url: str) -> tuple[str, str] | None:
    """Return (content path, fragment) when ``url`` points at a Markdown file, else None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_content_path), unquote(parts.path)))
    return target, parts.fragment


def _rewrite_document_link(from_content_path: str, output_of: dict, url: str) -> str:
    resolved = _resolve_content_link(from_content_path, url)
    if resolved is None or resolved[0] not in output_of:
        return url
    target, fragment = resolved
    published = str(output_of[target]) + (f"#{fragment}" if fragment else "")
    return relative_url(output_of[from_content_path], published)


_WEB_SCHEMES = ("https://", "http://", "mailto:")


def _check_body_links(document: Article | Page, body: RenderedBody, output_of: dict,
                      anchors: dict[str, frozenset[str]], withheld: frozenset[str], problems: Problems) -> None:
    """Links to content files and #anchors must exist; folder links are not portable.

    A link to a document left out for its own errors (``withheld``) is not checked (#14).
    """
    here = _content_path(document)
    for link in body.links:
        if link.url.startswith(_WEB_SCHEMES):
            continue  # never a content file, an anchor or a folder of this site (#13: 150,000 links)
        parts = urlsplit(link.url)
        resolved = _resolve_content_link(here, link.url)
        if resolved is None and not parts.scheme and not parts.netloc and not parts.path and parts.fragment:
            resolved = (here, parts.fragment)
        if resolved is not None and resolved[0] in withheld:
            continue
        if resolved is not None and resolved[0] not in output_of:
            problems.add(document.source_path, link.line, f"link to unknown document {link.url!r}",
                         did_you_mean(resolved[0], output_of) or "link to another file as e.g. '../pages/about.md'")
        elif resolved is not None and resolved[1] and unquote(resolved[1]) not in anchors[resolved[0]]:
            problems.add(document.source_path, link.line, f"link {link.url!r}: no anchor {resolved[1]!r} in {resolved[0]}",
                         did_you_mean(resolved[1], anchors[resolved[0]]))
        elif resolved is None and not parts.scheme and link.url.split("#")[0].endswith("/"):
            problems.add(document.source_path, link.line, f"link {link.url!r} points at a folder",
                         "link to the Markdown file instead, e.g. '../pages/about.md', so it works from disk too")


def _group_events(events: tuple[Event, ...], keys_of) -> dict[str, tuple[Event, ...]]:
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for key in dict.fromkeys(keys_of(event)):
            groups[key].append(event)
    return {key: tuple(value) for key, value in groups.items()}


def _group_articles_by_territory(articles: tuple[Article, ...],
                                 territories_of: dict[str, tuple[str, ...]]) -> dict[str, tuple[Article, ...]]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for territory_id in territories_of[article.slug]:
            groups[territory_id].append(article)
    return {key: tuple(value) for key, value in groups.items()}


def _neighbours(articles_by_date: tuple[Article, ...]) -> dict[str, Neighbours]:
    """Previous = older, next = newer, among dated articles only."""
    dated = [a for a in articles_by_date if a.date]
    result = {}
    for index, article in enumerate(dated):
        newer = dated[index - 1] if index > 0 else None
        older = dated[index + 1] if index + 1 < len(dated) else None
        result[article.slug] = Neighbours(previous=older, next=newer)
    return result

