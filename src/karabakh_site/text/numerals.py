"""Figures on pages, written the way the interface language writes numbers.

Why a library: a Russian reader expects '14 682 км²' (a no-break space groups the digits),
an Azerbaijani one '14.682 kv km', an English one '14,682 km²'. CLDR (through Babel) holds
these conventions for every language; writing them by hand would be a table to keep up.
English keeps the archive's own style, which Python's formatting gives (languages.styled_by_cldr):
pages, feeds and tests publish it as it was before CLDR came in.
"""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal
from babel.units import format_unit

AREA_UNIT = "area-square-kilometer"
"""CLDR's name for km², whose short form each language has ('км²', 'kv km', 'կմ²')."""
ONE_DECIMAL = "#,##0.#"
"""Grouped, with one decimal only when the value has one: '14 682', '2,5'."""


def format_area(value: float | None, locale: Locale | None, not_stated: str = "not stated") -> str:
    """An area in square kilometres, '14,682 km²', or ``not_stated`` when the sources give none."""
    if value is None:
        return not_stated
    if locale is None:
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return f"{number} km²"
    return format_unit(value, AREA_UNIT, length="short", format=ONE_DECIMAL, locale=locale)


def format_count(count: object, locale: Locale | None) -> object:
    """A count of things ('12 documents') grouped the language's way; anything else unchanged.

    English counts stay ungrouped ('1234 documents'), as they were published before CLDR.
    A bool is no count, though Python counts it an int.
    """
    if locale is None or isinstance(count, bool) or not isinstance(count, int):
        return count
    return format_decimal(count, locale=locale)
