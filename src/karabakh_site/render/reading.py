"""The "On this page" guide of a long document: where its sections, territories and events are (#15).

Why: the Kalbajar speech is 12,000 px of text without a heading; a reader looking for what it
says of Lachin, or for the words an event of the chronology is dated from, had to read it all.
A text with headings is guided by them. A text without is guided by what the archive already
knows of it: the paragraphs that name each of its territories (its mentions) and the paragraph
each event's quote comes from. The guide only points at paragraphs; it says nothing of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from karabakh_site.text.markdown import Heading, Paragraph, RenderedBody
from karabakh_site.content.model import Event, Territory
from karabakh_site.site.quotes import QuotedSource

LONG_TEXT_WORDS = 1500
"""A text longer than this many words gets a guide; a shorter one is read at a glance."""


@dataclass(frozen=True)
class GuideEntry:
    """Something the guide points at, with the numbers of the paragraphs (``p-N``) that hold it."""

    subject: Territory | Event
    paragraphs: tuple[int, ...]


@dataclass(frozen=True)
class ReadingGuide:
    """What a long text's "On this page" lists: its headings, or else its territories and events."""

    headings: tuple[Heading, ...]
    territories: tuple[GuideEntry, ...] = ()
    """Each territory the text names, with the paragraphs naming it, in the page's order of territories."""
    events: tuple[GuideEntry, ...] = ()
    """Each event the text states, with the paragraphs its quotes come from, in the page's order of events."""


def word_count(text: str) -> int:
    """Words of a Markdown body, as whitespace separates them (markup counts too: close enough for a threshold)."""
    return len(text.split())


def reading_guide(text: str, body: RenderedBody, territories: Iterable[Territory], events: Iterable[Event],
                  event_quotes: Mapping[str, tuple[QuotedSource, ...]]) -> ReadingGuide | None:
    """The guide of a text, or None when it is short or there is nothing to point at.

    ``event_quotes`` are the quotes from this text only (the article page's own).
    """
    if word_count(text) <= LONG_TEXT_WORDS:
        return None
    if body.headings:
        return ReadingGuide(body.headings)
    naming = _paragraphs_naming(body)
    guide = ReadingGuide(
        headings=(),
        territories=tuple(GuideEntry(t, naming[t.id]) for t in territories if naming.get(t.id)),
        events=tuple(GuideEntry(e, numbers) for e in events
                     if (numbers := tuple(sorted({q.number for q in event_quotes.get(e.id, ())})))),
    )
    return guide if guide.territories or guide.events else None


def _paragraphs_naming(body: RenderedBody) -> dict[str, tuple[int, ...]]:
    """Territory id -> numbers of the paragraphs whose text names the territory itself (not one of its places).

    A mention outside every paragraph (in a heading or a footnote) has no paragraph to point at.
    """
    starts = [paragraph.first_line for paragraph in body.paragraphs]
    found: dict[str, dict[int, None]] = {}
    for mention in body.mentions:
        if mention.place_id is None:
            number = _paragraph_at(body.paragraphs, starts, mention.line)
            if number is not None:
                found.setdefault(mention.territory_id, {})[number] = None
    return {territory: tuple(numbers) for territory, numbers in found.items()}


def _paragraph_at(paragraphs: tuple[Paragraph, ...], starts: list[int], line: int) -> int | None:
    """The number N (of ``p-N``) of the paragraph spanning file line ``line``, if any.

    ``starts`` are the paragraphs' first lines, in order (the order they are numbered in).
    """
    index = bisect_right(starts, line) - 1
    if index >= 0 and line < paragraphs[index].end_line:
        return int(paragraphs[index].anchor.removeprefix("p-"))
    return None
