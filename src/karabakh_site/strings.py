"""Interface strings: the theme's words, from one YAML file per language, overridable.

Templates call ``t("key", name=value)``; the generator uses the same table for the
words it puts on pages (navigation, chart titles, dates), so translating the site
means writing one ``strings/<language>.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from karabakh_site.dates import DateWords, format_date, parse_date
from karabakh_site.errors import Problems
from karabakh_site.facets import NOT_NAMED, UNDATED
from karabakh_site.languages import canonical_language_tag
from karabakh_site.load import display_path
from karabakh_site.voice import check_strings_voice

FALLBACK_LANGUAGE = "en"
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
        """The string for ``key`` with its {placeholders} filled."""
        return str(self[key]).format(**values)


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
    return data


def date_words(strings: Mapping[str, object]) -> DateWords:
    """The words for dates (months, 'approx.', 'undated') in the strings' language."""
    return DateWords(
        months=tuple(strings["months"]),
        qualifiers=(("~", strings["date_approximate"]), ("?", strings["date_uncertain"]),
                    ("%", strings["date_approximate_uncertain"])),
        undated=strings["undated"],
        or_later=strings["date_or_later"],
    )


def facet_label(strings: Mapping[str, object], label: str) -> str:
    """An index entry's name; the two entries the generator itself makes are translated."""
    special = {NOT_NAMED: "outlet_not_named", UNDATED: "facet_undated"}.get(label)
    if special:
        return str(strings[special])
    if YEAR_SPAN.fullmatch(label):  # a year index entry such as '2021/..': '2021 or later'
        return format_date(parse_date(label), words=date_words(strings))
    return label
