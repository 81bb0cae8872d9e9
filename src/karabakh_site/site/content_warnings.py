"""Warnings: what a reviewer should look at, though nothing in it is wrong enough to stop a build (#17).

Errors say the content cannot be published as it is; a warning says it can, but something
is probably not what the editor meant: a title too long for a results list, an article
without the summary that lists, feeds and search engines show, an alias of a territory that
no text names. They never fail a build or a check: they are reported after the errors,
located like them (file, line, column), and counted in the closing line.
"""

from __future__ import annotations

from karabakh_site.errors import ContentError
from karabakh_site.site.link import LinkedSite
from karabakh_site.content.load import LineDict, RawContent
from karabakh_site.text.mentions import fold
from karabakh_site.content.model import Site

LONG_TITLE = 120
"""Characters: a longer title is cut in browser tabs, search engines' results (about 60) and
social cards, and wraps to four lines and more on a phone; the shipped titles stay under 80."""


def find_warnings(raw: RawContent, site: Site, linked: LinkedSite | None) -> list[ContentError]:
    """Every warning about the content: the documents' first, then the chronology's.

    Why not sorted by file as errors are: GitHub shows only the first ten warning annotations
    of a step, and the standing ones (aliases kept for search) should not hide a new long title.

    ``linked`` is None when the content has errors: then the aliases are not judged, because
    a document left out for its errors may be the one that names an alias.
    """
    front_matter = {document.source_path: document.front_matter for document in (*raw.articles, *raw.pages)}
    found = [*_long_titles(site, front_matter), *_articles_without_summary(site, front_matter)]
    if linked is not None:
        found += _unused_aliases(linked, raw.chronology, raw.texts.get(linked.site.chronology_path, ""))
    return found


def _long_titles(site: Site, front_matter: dict[str, LineDict]) -> list[ContentError]:
    found = []
    for document in (*site.articles, *site.pages):
        mapping = front_matter.get(document.source_path)
        if mapping is not None and len(document.title) > LONG_TITLE:
            found.append(ContentError(
                document.source_path, mapping.line_of("title"),
                f"title is {len(document.title)} characters long, over {LONG_TITLE}",
                "browser tabs, search results and phones cut or wrap a long title; where the text's own "
                "headline is this long, keep it (title_by: source) and mind how lists show it",
                mapping.column_of("title")))
    return found


def _articles_without_summary(site: Site, front_matter: dict[str, LineDict]) -> list[ContentError]:
    found = []
    for article in site.articles:
        mapping = front_matter.get(article.source_path)
        if mapping is not None and article.summary is None:
            found.append(ContentError(
                article.source_path, mapping.line, "article has no 'summary'",
                "lists, the territory pages and search engines show the summary; without one they show "
                "the title only. Write one sentence that says who published what, attributed",
                mapping.column))
    return found


def _unused_aliases(linked: LinkedSite, chronology: LineDict | None, text: str) -> list[ContentError]:
    """Territories with aliases that no published text names (headings aside, as mentions are found).

    Why only a warning: an alias also lets a reader search under that spelling, so one no text
    uses yet may be kept on purpose; but it may also be a misspelling that matches nothing.
    One warning per territory, at its first unused alias, not one per alias: the shipped
    chronology keeps every spelling for search, and sixteen lines saying the same would bury
    the rest (a GitHub job shows ten warning annotations per step).
    """
    named: dict[str, set[str]] = {}
    for body in linked.bodies.values():
        for mention in body.mentions:
            if mention.place_id is None:
                named.setdefault(mention.territory_id, set()).add(fold(mention.text))
    items = {item.get("id"): item for item in (chronology or {}).get("territories") or () if isinstance(item, LineDict)}
    found = []
    for territory in linked.site.territories:
        item = items.get(territory.id)
        # Only the spellings under ``aliases:``: the names in other languages (``names:``, #16),
        # appended after them, are there for readers of those interfaces, not for the texts.
        listed = item.get("aliases") if item is not None else None
        written = territory.aliases[:len(listed)] if isinstance(listed, list) else territory.aliases
        unused = [(index, alias) for index, alias in enumerate(written)
                  if fold(alias) not in named.get(territory.id, set())]
        if not unused:
            continue
        line = item.line_of_item("aliases", unused[0][0]) if item is not None else territory.line
        names = ", ".join(f"'{alias}'" for _, alias in unused)
        found.append(ContentError(
            linked.site.chronology_path, line,
            f"no document names territory '{territory.id}' by {'its alias' if len(unused) == 1 else 'the aliases'} "
            f"{names}",
            "an alias still finds the territory in search; if none of these is expected in a text, or one is "
            "misspelt, correct or remove it", _column_of(unused[0][1], text, line)))
    return found


def _column_of(name: str, text: str, line: int) -> int | None:
    """The column of ``name`` on ``line`` of ``text`` when it is written there once, else None."""
    lines = text.split("\n")
    if not 0 < line <= len(lines) or lines[line - 1].count(name) != 1:
        return None
    return lines[line - 1].index(name) + 1
