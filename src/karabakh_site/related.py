"""Rank the documents related to a document, and say why they are related.

Shared territories weigh most (the archive is organised around them), then shared
speakers, then shared tags. The reasons are shown to readers, so the ranking is
explainable rather than a black box.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from karabakh_site.model import Article

WEIGHTS = {"territories": 3, "speakers": 2, "tags": 1}
LIMIT = 5


@dataclass(frozen=True)
class Related:
    """Another article and what it shares with this one."""

    article: Article
    score: int
    shared: dict[str, tuple[str, ...]]
    """Kind ('territories', 'speakers', 'tags') -> the shared values, in this article's order."""


def rank_all_related(articles: tuple[Article, ...], territories_of: dict[str, tuple[str, ...]],
                     territory_names: dict[str, str]) -> dict[str, tuple[Related, ...]]:
    """Related documents of every article, comparing only articles that share a feature.

    An inverted index (feature -> articles) keeps this near-linear: comparing every pair
    would be quadratic, 50 million comparisons for 10,000 documents.
    """
    features = {a.slug: _features(a, territories_of, territory_names) for a in articles}
    position = {a.slug: index for index, a in enumerate(articles)}
    holders: dict[tuple[str, str], list[Article]] = defaultdict(list)
    for article in articles:
        for kind, values in features[article.slug].items():
            for value in dict.fromkeys(values):
                holders[(kind, value)].append(article)
    related = {}
    for article in articles:
        candidates = {other.slug: other for kind, values in features[article.slug].items()
                      for value in values for other in holders[(kind, value)]}
        ordered = sorted(candidates.values(), key=lambda other: position[other.slug])
        related[article.slug] = rank_related(article, ordered, features)
    return related


def rank_related(article: Article, candidates: list[Article],
                 features: dict[str, dict[str, tuple[str, ...]]]) -> tuple[Related, ...]:
    """Return up to LIMIT other articles sharing something, best first, ties by date order."""
    mine = features[article.slug]
    ranked = []
    for position, other in enumerate(candidates):
        if other.slug == article.slug:
            continue
        theirs = features[other.slug]
        shared = {kind: tuple(v for v in values if v in theirs[kind]) for kind, values in mine.items()}
        shared = {kind: values for kind, values in shared.items() if values}
        score = sum(WEIGHTS[kind] * len(values) for kind, values in shared.items())
        if score:
            ranked.append((-score, position, Related(other, score, shared)))
    return tuple(item[2] for item in sorted(ranked, key=lambda item: item[:2])[:LIMIT])


def _features(article: Article, territories_of: dict[str, tuple[str, ...]],
              territory_names: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {
        "territories": tuple(territory_names[t] for t in territories_of[article.slug]),
        "speakers": article.speakers,
        "tags": article.tags,
    }
