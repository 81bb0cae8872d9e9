"""Group articles by tag, speaker, source, year and type, each group with a stable ASCII slug.

These groups are the archive's indexes: each has a page listing its articles. Slugs
are transliterated (slugs.py) so names in any script give readable URLs; two names
that transliterate alike get -2, -3 ... in the order of their names, so a slug never
depends on file order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from karabakh_site.content.contract import DOCUMENT_TYPES
from karabakh_site.content.model import Article
from karabakh_site.text.slugs import slugify

NOT_NAMED = "Outlet not named in the text"
UNDATED = "Undated"
"""Entries for articles without an outlet or a date; shown with the interface strings
``outlet_not_named`` and ``facet_undated``, their slugs stay the same in every language."""


@dataclass(frozen=True)
class FacetEntry:
    """One value of a facet (a tag, a speaker, an outlet, a year) and its articles."""

    facet_key: str
    label: str
    slug: str
    articles: tuple[Article, ...]
    """In the site's date order: newest first, undated last."""


@dataclass(frozen=True)
class Facet:
    """A way of indexing the articles, e.g. by tag."""

    key: str
    """Folder of its pages: ``tags``, ``speakers``, ``sources``, ``years``, ``types``; its names
    for readers are the interface strings ``facet_<key>`` and ``facet_<singular>``."""
    singular: str
    entries: tuple[FacetEntry, ...]


def unique_slugs(labels: Iterable[str]) -> dict[str, str]:
    """Give each distinct label a slug, numbering transliteration collisions in label order."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for label in sorted(set(labels)):
        # A year entry such as '2021/..' (2021 or later) must not read as another '2021'.
        base = slugify(label.replace("/..", " or later"), fallback="entry")
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[label] = slug
    return slugs


def build_facet(key: str, singular: str, articles: tuple[Article, ...],
                labels_of: Callable[[Article], Iterable[str]], order: Callable[[str], object] = str.casefold) -> Facet:
    """Index ``articles`` (already in display order) by the labels ``labels_of`` gives each."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for label in dict.fromkeys(labels_of(article)):
            groups[label].append(article)
    slugs = unique_slugs(groups)
    entries = tuple(
        FacetEntry(key, label, slugs[label], tuple(groups[label]))
        for label in sorted(groups, key=lambda label: (order(label), label))
    )
    return Facet(key, singular, entries)


def source_labels(article: Article) -> list[str]:
    """An article's outlets: the publisher it names (or "not named") and the outlet or agency it cites.

    Why "not named" even when an agency is cited: the AZTV interview cites AZTV but its
    publisher is unknown; listed only under AZTV it was missing from the count of documents
    whose outlet is not named (issue 12).
    """
    return [article.source.name or NOT_NAMED] + ([article.source.via] if article.source.via else [])


def year_labels(article: Article) -> list[str]:
    """The year of publication, or the span of years the date allows ('2021/..', '1988/1992').

    Why a span: a document dated '20 July 2021 or later' listed under 2021 alone would say it
    appeared in 2021, which its text does not state. Spans are shown in words (facet_label).
    """
    date = article.date
    if date is None:
        return [UNDATED]
    if date.latest is None:
        return [f"{date.earliest.year}/.."]
    if date.latest.year != date.earliest.year:
        return [f"{date.earliest.year}/{date.latest.year}"]
    return [str(date.earliest.year)]


def entries_by_article(facets: tuple[Facet, ...]) -> dict[str, dict[str, dict[str, FacetEntry]]]:
    """Article slug -> facet key -> {label: entry}: which index entries list each article."""
    index: dict[str, dict[str, dict[str, FacetEntry]]] = defaultdict(lambda: {f.key: {} for f in facets})
    for facet in facets:
        for entry in facet.entries:
            for article in entry.articles:
                index[article.slug][facet.key][entry.label] = entry
    return dict(index)


def type_labels(article: Article) -> tuple[str, ...]:
    """The article's document type, if its front matter states one (#15).

    The label is the contract's value (``news-report``), which gives the entry's slug; readers
    see the interface string ``type_<value>``. An article of no stated type is in no entry:
    "not stated" is not a kind of text.
    """
    return (article.document_type,) if article.document_type else ()


def build_facets(articles_by_date: tuple[Article, ...]) -> tuple[Facet, ...]:
    """The five indexes of the archive, in navigation order."""
    return (
        build_facet("tags", "tag", articles_by_date, lambda a: a.tags),
        build_facet("speakers", "speaker", articles_by_date, lambda a: a.speakers),
        build_facet("sources", "source", articles_by_date, source_labels,
                    order=lambda label: (label == NOT_NAMED, label.casefold())),
        build_facet("years", "year", articles_by_date, year_labels,
                    order=lambda label: (label == UNDATED, label)),
        build_facet("types", "type", articles_by_date, type_labels, order=DOCUMENT_TYPES.index),
    )
