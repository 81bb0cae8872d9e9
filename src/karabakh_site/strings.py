"""Interface strings: the theme's words, from one YAML file per language, overridable.

Templates call ``t("key", name=value)``; the generator uses the same table for the
words it puts on pages (navigation, chart titles, dates), so translating the site
means writing one ``strings/<language>.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from karabakh_site.dates import DateWords
from karabakh_site.errors import Problems
from karabakh_site.facets import NOT_NAMED, UNDATED
from karabakh_site.load import display_path

FALLBACK_LANGUAGE = "en"


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
    """Merge strings/en.yaml then strings/<language>.yaml from the theme up to the user folders."""
    problems = Problems()
    table: dict[str, object] = {}
    languages = dict.fromkeys([FALLBACK_LANGUAGE, language.split("-")[0], language])
    for folder in reversed(template_dirs):
        for code in languages:
            path = folder / "strings" / f"{code}.yaml"
            if path.is_file():
                table.update(_read_table(path, problems))
    return Strings(table, language), problems


def _read_table(path: Path, problems: Problems) -> dict[str, object]:
    shown = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    )


def facet_label(strings: Mapping[str, object], label: str) -> str:
    """An index entry's name; the two entries the generator itself makes are translated."""
    special = {NOT_NAMED: "outlet_not_named", UNDATED: "facet_undated"}.get(label)
    return str(strings[special]) if special else label
