"""Number the changes of the step chart, 1, 2, 3…, as the table below the chart numbers its rows (#15).

Why numbers in a column and not names beside the points: on a 390 px phone the chart is
358 px wide and eight of the archive's changes fall within two years, a few pixels apart,
so any label beside its own point would cover the next point, its label and the line. A
short number in a column beside the rising steps, joined to its point by a thin leader
line, stays readable; the table starts each row with the same number and names the event,
and each link's <title> names it too. The numbers are for sighted readers (aria-hidden).
Drawn with the primitives of ``charts`` (classes only, fixed precision, escaped text).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from karabakh_site.render import charts

GAP = 19
"""Least distance between two numbers' middles in a column, in viewBox units: charts.FONT_SIZE
and 3 (a literal: charts imports this module before it defines FONT_SIZE)."""
_CLEAR = 10
"""Room between a point (or a band's edge) and the leader line's end, and the leader and its number."""


@dataclass(frozen=True)
class _Anchor:
    """Where a change's number points to: its point, or the middle of its band's edge."""

    x: float
    y: float
    left: bool
    """Whether the number goes in the column left of the marks (for changes in the plot's right half)."""


def step_numbers(points: list, x: Callable[[datetime.date], float], y: Callable[[float], float],
                 plot) -> list[list[str]]:
    """Each change's number and leader line, in the order of ``points``, for its link.

    Changes in the left half of the plot are numbered in a column right of the rightmost of
    them, those in the right half in a column left of the leftmost; in each column the
    numbers keep the height of their points as far as they can without touching (dodged),
    and never sit on the line where it runs through the column.
    """
    middle = (plot.left + plot.right) / 2
    anchors = [_anchor(point, x, y, middle) for point in points]
    right_column = max((a.x for a in anchors if not a.left), default=0.0) + _CLEAR * 2
    left_column = min((a.x for a in anchors if a.left), default=0.0) - _CLEAR * 2
    line_at = {False: _line_level(points, x, y, right_column), True: _line_level(points, x, y, left_column)}
    heights: dict[int, float] = {}
    for left in (False, True):
        indexes = [i for i, a in enumerate(anchors) if a.left == left]
        heights.update(_column(indexes, anchors, line_at[left], plot))
    marks = []
    for index, anchor in enumerate(anchors):
        column = left_column if anchor.left else right_column
        level = heights[index]
        toward = -1 if anchor.left else 1
        marks.append([
            charts._element("line", {"class": "chart-leader", "aria-hidden": "true",
                                     "x1": charts._n(anchor.x + toward * charts.POINT_RADIUS),
                                     "y1": charts._n(anchor.y),
                                     "x2": charts._n(column - toward * 3), "y2": charts._n(level)}),
            charts._text(str(index + 1), column, level + charts.FONT_SIZE / 3, "chart-step-number",
                         "end" if anchor.left else "start", hidden=True),
        ])
    return marks


def _anchor(point, x, y, middle: float) -> _Anchor:
    """A point's own place; for a band, the middle of the edge that faces its number's column."""
    if not point.is_span:
        where = x(point.when)
        return _Anchor(where, y(point.value), where > middle)
    level = y(point.value - point.change / 2)
    if x(point.when) <= middle:
        return _Anchor(x(point.when), level, False)
    return _Anchor(x(point.first_day), level, True)


def _line_level(points: list, x, y, column: float) -> float:
    """The height of the step line where it crosses the column, which no number may cover."""
    total = 0.0
    for point in points:
        if x(point.when) > column:
            break
        total = point.value
    return y(total)


def _column(indexes: list[int], anchors: list[_Anchor], line: float, plot) -> dict[int, float]:
    """Place one column's numbers: above the line those that point above it, below it the others."""
    placed: dict[int, float] = {}
    above = [i for i in indexes if anchors[i].y < line]
    below = [i for i in indexes if anchors[i].y >= line]
    placed.update(_dodge(above, anchors, plot.top, line - GAP * 0.75))
    placed.update(_dodge(below, anchors, line + GAP * 0.75, plot.bottom - GAP / 2))
    return placed


def _dodge(indexes: list[int], anchors: list[_Anchor], low: float, high: float) -> dict[int, float]:
    """Spread numbers at least GAP apart, each as near its anchor's height as the others let it.

    Top to bottom, each number goes below the one before if it would touch it; then, from the
    bottom up, numbers pushed past ``high`` are pulled back up. Ties keep the points' order.
    """
    ordered = sorted(indexes, key=lambda i: (anchors[i].y, i))
    levels: list[float] = []
    for index in ordered:
        wanted = min(max(anchors[index].y, low), high)
        levels.append(max(wanted, levels[-1] + GAP) if levels else wanted)
    for position in range(len(levels) - 1, -1, -1):
        ceiling = high if position == len(levels) - 1 else levels[position + 1] - GAP
        levels[position] = min(levels[position], ceiling)
    return dict(zip(ordered, levels))
