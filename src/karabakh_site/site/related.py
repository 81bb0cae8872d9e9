"""Rank the documents related to a document, and say why they are related.

Shared territories weigh most (the archive is organised around them), then shared
speakers, then shared tags. The reasons are shown to readers, so the ranking is
explainable rather than a black box.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import defaultdict
from collections.abc import MutableMapping
from dataclasses import dataclass

from karabakh_site.content.model import Article

WEIGHTS = {"territories": 3, "speakers": 2, "tags": 1}
LIMIT = 5


@dataclass(frozen=True)
class Related:
    """Another article and what it shares with this one."""

    article: Article
    score: int
    shared: dict[str, tuple[str, ...]]
    """Kind ('territories', 'speakers', 'tags') -> the shared values, in this article's order."""


COMMON = 100
"""A feature (a tag, a speaker, a territory) held by more documents than this does not
bring candidates by itself: at 10,000 documents, counting every holder of every common
feature was the build's single largest cost (#8). It still counts in the exact score."""
CANDIDATES = 20


def rank_all_related_kept(articles: tuple[Article, ...], territories_of: dict[str, tuple[str, ...]],
                          territory_names: dict[str, str], kept: MutableMapping[bytes, object]
                          ) -> dict[str, tuple[Related, ...]]:
    """``rank_all_related``, its result kept in ``kept`` (the cache's ``derived`` table) under a
    digest of everything it reads: the documents in order with their territories, speakers and
    tags. An edit to a text that keeps those reuses the ranking (#13: 2 s at 10,000 documents)."""
    features = [[a.slug, _features(a, territories_of, territory_names)] for a in articles]
    key = b"related:" + hashlib.blake2b(json.dumps(features, ensure_ascii=False).encode(), digest_size=20).digest()
    stored = kept.get(key)
    by_slug = {article.slug: article for article in articles}
    if isinstance(stored, dict) and stored.keys() == by_slug.keys():
        try:
            return {slug: tuple(Related(by_slug[other], score, {kind: tuple(values) for kind, values in shared})
                                for other, score, shared in entries)
                    for slug, entries in stored.items()}
        except (KeyError, TypeError, ValueError):
            pass  # not what this version stores: rank again
    related = rank_all_related(articles, territories_of, territory_names)
    for earlier in [stored_key for stored_key in kept if stored_key.startswith(b"related:")]:
        del kept[earlier]  # one ranking is kept: the last
    kept[key] = {slug: [[r.article.slug, r.score, [[kind, list(values)] for kind, values in r.shared.items()]]
                        for r in entries] for slug, entries in related.items()}
    return related


def rank_all_related(articles: tuple[Article, ...], territories_of: dict[str, tuple[str, ...]],
                     territory_names: dict[str, str]) -> dict[str, tuple[Related, ...]]:
    """Related documents of every article: best score first, ties in the site's date order.

    Candidates come through an inverted index (feature -> articles holding it), counting
    only the features that are not common; the best candidates are then scored exactly
    on every feature, and the reasons worked out for the few that are shown.
    """
    features = {a.slug: _features(a, territories_of, territory_names) for a in articles}
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        for kind, values in features[article.slug].items():
            for value in dict.fromkeys(values):
                holders[(kind, value)].append(index)
    related = {}
    for index, article in enumerate(articles):
        mine = features[article.slug]
        candidates = _candidates(index, mine, holders)
        exact = []
        for other in candidates:
            shared = _shared(mine, features[articles[other].slug])
            score = sum(WEIGHTS[kind] * len(values) for kind, values in shared.items())
            exact.append((-score, other, shared))
        exact.sort(key=lambda item: item[:2])
        related[article.slug] = tuple(Related(articles[other], -score, shared) for score, other, shared in exact[:LIMIT])
    return related


def _candidates(index: int, mine: dict[str, tuple[str, ...]], holders: dict[tuple[str, str], list[int]]) -> list[int]:
    """Up to CANDIDATES other articles, the best by their uncommon shared features first,
    then, if too few, the newest holders of the common ones."""
    scores: dict[int, int] = defaultdict(int)
    common: list[list[int]] = []
    for kind, values in mine.items():
        for value in dict.fromkeys(values):
            group = holders[(kind, value)]
            if len(group) > COMMON:
                common.append(group)
                continue
            for other in group:
                scores[other] += WEIGHTS[kind]
    scores.pop(index, None)
    best = [other for other, _ in heapq.nsmallest(CANDIDATES, scores.items(), key=lambda item: (-item[1], item[0]))]
    for group in common:
        for other in group[:CANDIDATES]:
            if len(best) >= CANDIDATES:
                break
            if other != index and other not in best:
                best.append(other)
    return best


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
