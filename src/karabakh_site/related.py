"""Rank the documents related to a document, and say why they are related.

Shared territories weigh most (the archive is organised around them), then shared
speakers, then shared tags. The reasons are shown to readers, so the ranking is
explainable rather than a black box.
"""

from __future__ import annotations

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


def rank_related(article: Article, candidates: tuple[Article, ...], territories_of: dict[str, tuple[str, ...]],
                 territory_names: dict[str, str]) -> tuple[Related, ...]:
    """Return up to LIMIT other articles sharing something, best first, ties by date order."""
    mine = _features(article, territories_of, territory_names)
    ranked = []
    for position, other in enumerate(candidates):
        if other.slug == article.slug:
            continue
        theirs = _features(other, territories_of, territory_names)
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
