"""Interface strings: the theme's words, from one YAML file per language, overridable.

Templates call ``t("key", name=value)``; the generator uses the same table for the
words it puts on pages (navigation, chart titles, dates), so translating the site
means writing one ``strings/<language>.yaml``.

A string that depends on a number may be a table of CLDR plural categories
(``{one: "{count} событие", few: "{count} события", many: "{count} событий", other: …}``):
``t(key, count=n)`` picks the form the language's plural rule (Babel) gives for n, so a
template's ``t("count_event" if n == 1 else "count_events", count=n)`` works in Russian,
which needs three forms where English has two keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from karabakh_site.text.dates import DateWords, format_date, parse_date
from karabakh_site.errors import Problems
from karabakh_site.site.facets import NOT_NAMED, UNDATED
from karabakh_site.text.languages import canonical_language_tag, cldr_locale, styled_by_cldr
from karabakh_site.content.load import display_path
from karabakh_site.text.numerals import format_count
from karabakh_site.content.voice import check_strings_voice

FALLBACK_LANGUAGE = "en"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories: the keys of a string with plural forms ("other" is required)."""
YEAR_SPAN = re.compile(r"[0-9]{4}/(?:\.\.|[0-9]{4})")
"""The labels facets.year_labels gives a date that spans years ('2021/..', '1988/1992')."""


class Strings(Mapping):
    """A read-only table of interface strings that names the missing key on lookup."""

    def __init__(self, table: dict[str, object], language: str):
        self._table = table
        self.language = language

    def __getitem__(self, key: str):
        try:
            return self._table[key]
        except KeyError:
            raise KeyError(f"no interface string {key!r} in strings/{self.language}.yaml") from None

    def __iter__(self):
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def format(self, key: str, **values: object) -> str:
        """The string for ``key`` with its {placeholders} filled; ``count`` picks a plural form.

        ``count`` is also written as the language writes numbers ('1 234' in Russian).
        """
        text = self[key]
        if is_plural_forms(text):
            text = self._plural_form(key, text, values.get("count"))
        if "count" in values:
            values = {**values, "count": format_count(values["count"], styled_by_cldr(self.language))}
        return str(text).format(**values)

    def _plural_form(self, key: str, forms: Mapping[str, object], count: object) -> object:
        """The form of ``forms`` for ``count`` by the language's CLDR plural rule; 'other' if it has none.

        Raises KeyError (a template error naming the key) when no count is given: without one
        no form is right.
        """
        if isinstance(count, bool) or not isinstance(count, (int, float)):
            raise KeyError(f"interface string {key!r} in strings/{self.language}.yaml has plural forms "
                           f"({', '.join(forms)}); pass count= to choose one")
        locale = cldr_locale(self.language)
        category = locale.plural_form(count) if locale is not None else ("one" if count == 1 else "other")
        return forms.get(category, forms["other"])


def is_plural_forms(value: object) -> bool:
    """Whether a strings value is a table of plural forms: CLDR category names only, 'other' among them."""
    return (isinstance(value, Mapping) and "other" in value
            and all(category in PLURAL_CATEGORIES for category in value))


def load_strings(template_dirs: list[Path], language: str) -> tuple[Strings, Problems]:
    """Merge strings/en.yaml then strings/<language>.yaml from the theme up to the user folders.

    ``language`` must be a BCP 47 tag (model.py checks site.yaml's); anything else is a bug
    and raises ValueError, because the tag becomes a file name (issue 11: '../../x' once
    loaded a file from outside the theme).
    """
    if canonical_language_tag(language) is None:
        raise ValueError(f"language {language!r} is not a BCP 47 language tag")
    problems = Problems()
    table: dict[str, object] = {}
    languages = dict.fromkeys([FALLBACK_LANGUAGE, language.split("-")[0], language])
    for folder in reversed(template_dirs):
        for code in languages:
            path = _strings_file(folder, code, problems)
            if path is not None:
                table.update(_read_table(path, problems))
    return Strings(table, language), problems


def _strings_file(folder: Path, code: str, problems: Problems) -> Path | None:
    """The file strings/<code>.yaml of a template folder, if it exists and stays inside that folder.

    A link that leads elsewhere is refused: the theme must not publish files from outside it.
    """
    path = folder / "strings" / f"{code}.yaml"
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(folder.resolve()):
        problems.add(display_path(path), None, "strings file resolves outside its template folder; refused")
        return None
    return path


def _read_table(path: Path, problems: Problems) -> dict[str, object]:
    shown = display_path(path)
    text = path.read_text(encoding="utf-8")
    problems.extend(check_strings_voice(text, shown).items)  # interface words attribute too (#12)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(shown, mark.line + 1 if mark else None, f"invalid YAML: {getattr(error, 'problem', error)}")
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        problems.add(shown, 1, "expected a mapping of string names to texts")
        return {}
    for key, value in data.items():
        if isinstance(value, dict) and value and set(value) <= set(PLURAL_CATEGORIES) and "other" not in value:
            problems.add(shown, _line_of_key(text, key), f"the plural forms of {key!r} need an 'other' form, "
                         "used for every count the others do not cover")
    return data


def _line_of_key(text: str, key: str) -> int | None:
    """The line of a top-level key, for a problem found in the loaded table (which has no lines)."""
    found = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def date_words(strings: Mapping[str, object]) -> DateWords:
    """The words for dates (months, 'approx.', 'undated') in the strings' language."""
    return DateWords(
        months=tuple(strings["months"]),
        qualifiers=(("~", strings["date_approximate"]), ("?", strings["date_uncertain"]),
                    ("%", strings["date_approximate_uncertain"])),
        undated=strings["undated"],
        or_later=strings["date_or_later"],
        locale=styled_by_cldr(getattr(strings, "language", FALLBACK_LANGUAGE)),
    )


def facet_label(strings: Mapping[str, object], label: str) -> str:
    """An index entry's name; the two entries the generator itself makes are translated."""
    special = {NOT_NAMED: "outlet_not_named", UNDATED: "facet_undated"}.get(label)
    if special:
        return str(strings[special])
    if YEAR_SPAN.fullmatch(label):  # a year index entry such as '2021/..': '2021 or later'
        return format_date(parse_date(label), words=date_words(strings))
    return label
