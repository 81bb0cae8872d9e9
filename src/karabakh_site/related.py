"""Rank the documents related to a document, and say why they are related.

Shared territories weigh most (the archive is organised around them), then shared
speakers, then shared tags. The reasons are shown to readers, so the ranking is
explainable rather than a black box.
"""

from __future__ import annotations

import heapq
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
    """Related documents of every article: best score first, ties in the site's date order.

    Scores are summed through an inverted index (feature -> articles holding it), so only
    articles that share something are ever touched, and the reasons are worked out for
    the few that are shown.
    """
    features = {a.slug: _features(a, territories_of, territory_names) for a in articles}
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        for kind, values in features[article.slug].items():
            for value in dict.fromkeys(values):
                holders[(kind, value)].append(index)
    related = {}
    for index, article in enumerate(articles):
        scores: dict[int, int] = defaultdict(int)
        for kind, values in features[article.slug].items():
            weight = WEIGHTS[kind]
            for value in dict.fromkeys(values):
                for other in holders[(kind, value)]:
                    scores[other] += weight
        scores.pop(index, None)
        best = heapq.nsmallest(LIMIT, scores.items(), key=lambda item: (-item[1], item[0]))
        related[article.slug] = tuple(
            Related(articles[other], score, _shared(features[article.slug], features[articles[other].slug]))
            for other, score in best
        )
    return related


def _shared(mine: dict[str, tuple[str, ...]], theirs: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    shared = {kind: tuple(v for v in dict.fromkeys(values) if v in theirs[kind]) for kind, values in mine.items()}
    return {kind: values for kind, values in shared.items() if values}


def _features(article: Article, territories_of: dict[str, tuple[str, ...]],
              territory_names: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {
        "territories": tuple(territory_names[t] for t in territories_of[article.slug]),
        "speakers": article.speakers,
        "tags": article.tags,
    }
