"""Spans and the legend of the step chart: a change dated only to a range of days.

Why a band and not a point: "1988–1992" says the change happened somewhere in those five
years. A point at its end (where the running sum takes it in) would claim a day the text
does not give; a band from the first to the last possible day, between the sum without
the change and the sum with it, shows both what is known and what is not (issue 12).
Drawn with the primitives of ``charts`` (classes only, fixed precision, escaped text).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from karabakh_site import charts

LEGEND_ROW = 26
"""Height of one legend row below the axis titles, in viewBox units."""


def band_rects(points: list, point, x: Callable[[datetime.date], float],
               y: Callable[[float], float]) -> tuple[list[str], float]:
    """Rectangles from the span's first to its last day, between the sum without and with the change.

    The sum without it is a step function too (other changes fall inside the span, as
    Shusha's and Lachin's in May 1992 inside Nagorno-Karabakh's 1988–1992), so the band is
    cut where another change enters the sum and follows it. Returns the rectangles and the
    band's top edge, above which its label goes.
    """
    cuts = sorted({point.first_day, point.when,
                   *(p.when for p in points if point.first_day < p.when < point.when)})
    rects, top = [], float("inf")
    for left, right in zip(cuts, cuts[1:]):
        base = _sum_without(points, point, left)
        low, high = sorted((y(base), y(base + point.change)))
        top = min(top, low)
        rects.append(charts._element("rect", {
            "class": "chart-span", "x": charts._n(x(left)), "y": charts._n(low),
            "width": charts._n(max(x(right) - x(left), 1.0)), "height": charts._n(max(high - low, 1.0)),
        }))
    return rects, top


def _sum_without(points: list, excluded, day: datetime.date) -> float:
    """The sum on ``day`` of the changes taken in by then, leaving ``excluded`` out (it is in the band)."""
    total = 0.0
    for point in points:
        if point.when > day:
            break
        if point is not excluded:
            total += point.change
    return total


def span_label(point, x: Callable[[datetime.date], float], top: float) -> str:
    """Write the span's dates ('1988–1992') above the band's middle, for sighted readers (the link says it too)."""
    middle = (x(point.first_day) + x(point.when)) / 2
    return charts._text(point.label, middle, top - 6, "chart-span-label", "middle", hidden=True)


def legend(line_text: str, span_text: str | None, top: float) -> str:
    """Say what the line and the bands are: the archive's running sum, and spans of possible days."""
    rows = [
        charts._element("line", {"class": "chart-line", "x1": "0.0", "y1": charts._n(top - 5),
                                 "x2": "24.0", "y2": charts._n(top - 5)}),
        charts._text(line_text, 32, top, "chart-legend", "start"),
    ]
    if span_text:
        second = top + LEGEND_ROW
        rows += [
            charts._element("rect", {"class": "chart-span", "x": "0.0", "y": charts._n(second - 14),
                                     "width": "24.0", "height": "16.0"}),
            charts._text(span_text, 32, second, "chart-legend", "start"),
        ]
    return charts._element("g", {"class": "chart-legend-group"}, "\n" + "\n".join(rows) + "\n")
