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

from karabakh_site.render import charts

LEGEND_ROW = 26
"""Height of one legend row below the axis titles, in viewBox units."""
LEGEND_LINE = 20
"""Height of each further line of a legend row that had to be wrapped."""


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
    """Write the span's dates ('1988–1992') above the band's middle, for sighted readers (the link says it too).

    Kept inside the chart's width: a span that ends at the chart's right edge (a return dated
    '10 November 2020 – 2025') would otherwise put half its label outside (#15).
    """
    half = charts._text_width(point.label) / 2
    middle = min(max((x(point.first_day) + x(point.when)) / 2, half), charts.WIDTH - half)
    return charts._text(point.label, middle, top - 6, "chart-span-label", "middle", hidden=True)


def legend(line_text: str, span_text: str | None, top: float, number_text: str | None = None) -> tuple[list[str], int]:
    """Say what the line, the bands and the numbers are; return the legend and the height it adds.

    Each text is wrapped to the chart's width in lines (<tspan>), since SVG does not wrap
    and a phone shows the chart at 358 px (#15).
    """
    rows, level = [], top
    for key, text in (("line", line_text), ("span", span_text), ("number", number_text)):
        if not text:
            continue
        rows.append(_swatch(key, level))
        lines = wrap(text, charts.WIDTH - 32)
        rows.append(_lines(lines, 32, level, "chart-legend"))
        level += LEGEND_ROW + LEGEND_LINE * (len(lines) - 1)
    group = charts._element("g", {"class": "chart-legend-group"}, "\n" + "\n".join(rows) + "\n")
    return [group], int(level - top) + 8


def _swatch(key: str, level: float) -> str:
    """The mark a legend row explains: a stretch of line, a band, or a number."""
    if key == "line":
        return charts._element("line", {"class": "chart-line", "x1": "0.0", "y1": charts._n(level - 5),
                                        "x2": "24.0", "y2": charts._n(level - 5)})
    if key == "span":
        return charts._element("rect", {"class": "chart-span", "x": "0.0", "y": charts._n(level - 14),
                                        "width": "24.0", "height": "16.0"})
    return charts._text("1", 12, level, "chart-step-number", "middle", hidden=True)


def wrap(text: str, width: float) -> list[str]:
    """Break a text into lines no wider than ``width`` (by the generous estimate), between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and charts._text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _lines(lines: list[str], x: float, y: float, css: str) -> str:
    """One <text> whose first line is its own text and each further line a <tspan> one row lower."""
    rest = "".join(charts._element("tspan", {"x": charts._n(x), "dy": charts._n(LEGEND_LINE)}, charts._escape(line))
                   for line in lines[1:])
    attributes = {"class": css, "x": charts._n(x), "y": charts._n(y), "text-anchor": "start"}
    return charts._open_tag("text", attributes) + charts._escape(lines[0]) + rest + "</text>"
