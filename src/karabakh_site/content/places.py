"""Places inside territories, labelled aliases and phrases that are not mentions (#12).

A territory's aliases are other names of the same territory; a city or town inside it is a
``place`` of its own (``in: <territory id>``), so that naming Khankendi is not counted as
naming the whole of Nagorno-Karabakh. A name inside a proper name that is about something
else ("Shusha Global Media Forum", held elsewhere) is declared in ``not_mentions`` and is
never a mention; each such phrase must occur in some article, so the list stays honest.

Parsing here is duck-typed on model.py's ``_Fields`` (passed in), so this module does not
import model.py, which imports it. The checks that need every file run from link.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from karabakh_site.content.contract import ALIAS_FIELDS, NOT_MENTION_FIELDS, PLACE_FIELDS
from karabakh_site.errors import Problems, did_you_mean
from karabakh_site.text.languages import canonical_language_tag
from karabakh_site.text.mentions import fold

if TYPE_CHECKING:
    from karabakh_site.content.load import LineDict

ALIAS_KEYS = tuple(ALIAS_FIELDS)
PLACE_KEYS = tuple(PLACE_FIELDS)
NOT_MENTION_KEYS = tuple(NOT_MENTION_FIELDS)


@dataclass(frozen=True)
class Alias:
    """Another name of a territory or place, with the language it is written in when known."""

    name: str
    lang: str | None
    """A BCP 47 tag: 'az' (Azerbaijani), 'hy-Latn' (Armenian in Latin letters), 'en' ..."""


@dataclass(frozen=True)
class Place:
    """A city or town inside one territory; its mentions are not mentions of the territory."""

    id: str
    name: str
    labelled_aliases: tuple[Alias, ...]
    territory_id: str
    note: str | None
    line: int
    in_line: int
    """Line of the ``in`` key, for an unknown territory."""

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(alias.name for alias in self.labelled_aliases)


@dataclass(frozen=True)
class NotMention:
    """A phrase that contains a name but is about something else: never a mention."""

    phrase: str
    why: str | None
    line: int


def read_aliases(fields: Any) -> tuple[Alias, ...]:
    """Read ``aliases``: each a plain name, or ``{name, lang}`` with a BCP 47 language tag.

    Why the label: readers meet the same territory under Azerbaijani, Armenian, Russian and
    English spellings; the page says which is which, and screen readers get a ``lang``.
    """
    value = fields.mapping.get("aliases")
    if value is None:
        return ()
    if not isinstance(value, list) or not any(isinstance(item, dict) for item in value):
        return tuple(Alias(name, None) for name in fields.text_list("aliases"))  # the short form, checked as usual
    aliases = []
    for number, item in enumerate(value, 1):
        if isinstance(item, dict):
            alias = _labelled_alias(type(fields)(item, fields.path, fields.problems, "alias"))
        elif isinstance(item, str) and item.strip():
            alias = Alias(fields._checked_characters("aliases", item).strip(), None)
        else:
            fields.error("aliases", f"'aliases' must list names or {{name, lang}} mappings; item {number} is "
                                    f"{'blank' if item is None or isinstance(item, str) else repr(item)}",
                         "put the value in quotes if it is meant as text")
            alias = None
        if alias is not None:
            aliases.append(alias)
    return tuple(aliases)


def _labelled_alias(fields: Any) -> Alias | None:
    fields.check_keys(ALIAS_KEYS)
    name = fields.text("name", required=True)
    lang = fields.text("lang")
    tag = canonical_language_tag(lang) if lang else None
    if lang and tag is None:
        fields.error("lang", f"lang {lang!r} is not a BCP 47 language tag",
                     "use e.g. 'az', 'hy-Latn' (Armenian in Latin letters), 'ru-Latn' or 'en'")
    return Alias(name, tag) if name else None


def build_places(chronology: LineDict | None, path: str, problems: Problems, fields_type: type,
                 checked_id) -> tuple[tuple[Place, ...], tuple[NotMention, ...]]:
    """Read the ``places`` and ``not_mentions`` lists of chronology.yaml."""
    if chronology is None:
        return (), ()
    top = fields_type(chronology, path, problems, "chronology.yaml")
    places = tuple(p for p in (_build_place(fields_type(item, path, problems, "place"), checked_id)
                               for item in _mappings(top, "places")) if p)
    return places, _not_mentions(top)


def _mappings(top: Any, key: str) -> list:
    value = top.mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        top.error(key, f"{key!r} must be a list of mappings")
        return []
    return value


def _build_place(fields: Any, checked_id) -> Place | None:
    fields.check_keys(PLACE_KEYS)
    place_id = checked_id(fields, required=True)
    name = fields.text("name", required=True)
    territory_id = fields.text("in", required=True)
    aliases = read_aliases(fields)
    if not (place_id and name and territory_id):
        return None
    return Place(place_id, name, aliases, territory_id, fields.text("note"), fields.mapping.line, fields.line("in"))


def _not_mentions(top: Any) -> tuple[NotMention, ...]:
    value = top.mapping.get("not_mentions")
    if value is None:
        return ()
    if not isinstance(value, list):
        top.error("not_mentions", "'not_mentions' must be a list of phrases")
        return ()
    found = []
    for index, item in enumerate(value):
        line = top.mapping.line_of_item("not_mentions", index)
        if isinstance(item, dict):
            fields = type(top)(item, top.path, top.problems, "not_mentions item")
            fields.check_keys(NOT_MENTION_KEYS)
            phrase, why = fields.text("phrase", required=True), fields.text("why")
        elif isinstance(item, str) and item.strip():
            phrase, why = top._checked_characters("not_mentions", item).strip(), None
        else:
            top.problems.add(top.path, line, f"not_mentions item {index + 1} must be a phrase (text)")
            continue
        if phrase:
            found.append(NotMention(phrase, why, line))
    return tuple(found)


# --- Checks that need the whole site (run by link.py) --------------------------------------

def check_places(places: tuple[Place, ...], territory_ids: Iterable[str], path: str, problems: Problems) -> None:
    """A place lies in a known territory, and its id is not a territory's or another place's."""
    territory_ids = set(territory_ids)
    first_line: dict[str, int] = {}
    for place in places:
        if place.territory_id not in territory_ids:
            problems.add(path, place.in_line, f"place {place.id!r} is in unknown territory {place.territory_id!r}",
                         did_you_mean(place.territory_id, territory_ids) or "'in' takes a territory id")
        if place.id in territory_ids:
            problems.add(path, place.line, f"place id {place.id!r} is already a territory's id",
                         f"give the place its own id, e.g. '{place.id}-city'")
        elif place.id in first_line:
            problems.add(path, place.line, f"duplicate place id {place.id!r} (first defined on line {first_line[place.id]})")
        first_line.setdefault(place.id, place.line)


def check_names(owners: Iterable[tuple[str, str, int, Iterable[str]]], path: str, problems: Problems) -> None:
    """A name leads to one territory or place only, compared as mentions are matched (folded).

    ``owners`` are (what, id, line, names), e.g. ('territory', 'shusha', 20, ['Shusha', 'Şuşa']).
    Why folded: 'Şuşa' matches the text 'Susa', so two owners of those would make mentions ambiguous.
    """
    owner_of: dict[str, tuple[str, str, int]] = {}
    for what, owner_id, line, names in owners:
        for name in names:
            other = owner_of.setdefault(fold(name), (what, owner_id, line))
            if other[:2] != (what, owner_id):
                problems.add(path, line, f"name or alias {name!r} of {what} {owner_id!r} is already used by "
                                         f"{other[0]} {other[1]!r} (line {other[2]})")


def check_not_mentions_found(not_mentions: tuple[NotMention, ...], found: set[str], path: str,
                             problems: Problems) -> None:
    """Every declared phrase occurs in some article: an unused entry would hide future mentions."""
    for entry in not_mentions:
        if fold(entry.phrase) not in found:
            problems.add(path, entry.line, f"not_mentions phrase {entry.phrase!r} is found in no document; remove it",
                         "phrases are matched as whole words in the articles' text, headings aside")


# --- What the pages show ------------------------------------------------------------------

def group_mentions(articles_by_date, bodies, of_places: bool) -> dict[str, tuple]:
    """Target id -> ((article, its mentions of the target), ...) in article date order.

    With ``of_places`` the targets are places, else territories: a place's mentions are never
    counted as its territory's.
    """
    groups: dict[str, list] = {}
    for article in articles_by_date:
        by_target: dict[str, list] = {}
        for mention in bodies[article.source_path].mentions:
            if (mention.place_id is not None) == of_places:
                by_target.setdefault(mention.target_id, []).append(mention)
        for target_id, mentions in by_target.items():
            groups.setdefault(target_id, []).append((article, tuple(mentions)))
    return {target_id: tuple(items) for target_id, items in groups.items()}


def places_named(articles, bodies) -> dict[str, tuple[str, ...]]:
    """Article slug -> ids of the places its text names, in order of first mention."""
    return {article.slug: tuple(dict.fromkeys(m.place_id for m in bodies[article.source_path].mentions
                                              if m.place_id is not None))
            for article in articles}


def phrases_naming(not_mentions: tuple[NotMention, ...], names: Iterable[str]) -> tuple[NotMention, ...]:
    """The ``not_mentions`` phrases that contain one of ``names``, for the page to say what is not counted."""
    keys = [fold(name) for name in names]
    return tuple(entry for entry in not_mentions
                 if any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", fold(entry.phrase)) for key in keys))
