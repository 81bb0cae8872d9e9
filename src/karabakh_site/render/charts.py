"""Draw charts as inline SVG at build time: a cumulative step chart and a bar chart.

Why SVG markup and no JavaScript: the archive must work from disk and under a
Content-Security-Policy that forbids scripts, ``style`` attributes and ``<style>``
elements. So every mark carries only classes, styled by ``static/charts.css``, and
every mark a reader can act on is an ``<a>`` whose ``<title>`` child gives the link
its accessible name. The functions are pure and format every number with a fixed
precision, so that two builds of the same content are byte-identical.
"""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale
from babel.numbers import format_decimal

from karabakh_site.render import chart_labels, chart_spans
from karabakh_site.text.numerals import format_area

WIDTH = 440
"""Width of every chart's viewBox; the stylesheet scales it to the column width.

Why 440 and not wider: SVG text shrinks with its viewBox, and on a 390 px phone the chart
gets 358 px, so its 16-unit text shows at 13 px; at 640 units it was 9 px (#15). charts.css
caps the chart at 30rem, so on a wide screen the text shows at about the body's size."""
FONT_SIZE = 16
"""Font size of chart text in viewBox units; must match ``.chart text`` in charts.css."""
CHAR_WIDTH = 0.6 * FONT_SIZE
"""A generous average glyph width, used to reserve room for text we cannot measure."""
POINT_RADIUS = 6
HIT_RADIUS = 12
"""Radius of the transparent circle around a point that takes clicks and shows focus."""
EMPTY_CHART = '<p class="chart-empty">No data for this chart.</p>'

_STEP_HEIGHT = 400
_BAR_ROW = 34
_BAR_THICKNESS = 22
_NICE_STEPS = (1, 2, 2.5, 3, 4, 5, 10)
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
_MAX_YEAR_TICKS = 8
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@dataclass(frozen=True)
class StepPoint:
    """One change of a cumulative total, e.g. an occupation event adding a territory's area."""

    when: datetime.date
    """Where the point goes on the time axis."""
    label: str
    """The date in words as the site shows it, e.g. '8 May 1992' or '1988–1992'."""
    value: float
    """The cumulative total after this change (lower than before for a return)."""
    change: float
    """The signed change, e.g. +289.0 or -3054.0."""
    title: str
    """What happened, e.g. 'Occupation of Shusha'."""
    href: str
    """URL of the event, already relative to the page that shows the chart."""
    start: datetime.date | None = None
    """The first possible day when the text gives a span ('1988–1992'); None for one day."""

    @property
    def first_day(self) -> datetime.date:
        return self.start or self.when

    @property
    def is_span(self) -> bool:
        return self.first_day != self.when


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a named quantity and the page about it."""

    label: str
    """Text left of the bar, e.g. 'Kalbajar'."""
    value: float
    """Length of the bar, e.g. 3054."""
    href: str
    """URL of the page about the row, already relative to the page that shows the chart."""
    link_name: str | None = None
    """The row's name for screen readers when it says more than the label, e.g. 'Кельбаджар (Kalbajar)'
    beside the label 'Кельбаджар': the label must stay short for the bars to have room (#16)."""


@dataclass(frozen=True)
class _Plot:
    """The rectangle the data is drawn in, in viewBox units; the margins hold the text."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class _Linear:
    """Map a data interval onto a viewBox interval; y runs from bottom to top, so end < start."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def step_chart_svg(points: list[StepPoint], *, chart_id: str, title: str, description: str,
                   x_label: str, y_label: str, unit: str = "km²", span: tuple[datetime.date, datetime.date] | None = None,
                   legend: tuple[str, ...] | None = None, sum_word: str = "total",
                   span_word: str = "somewhere in this span", locale: Locale | None = None) -> str:
    """Draw a running sum over time as a step line with one link per change.

    The line starts at 0 on the first possible day of the first change, stays flat until
    the next change enters the sum and then jumps; it ends at the last change, since the
    chart makes no claim about later dates. A change dated to a span is drawn as a band
    over the span (chart_spans), not as a point. Each change is numbered 1, 2, 3… in order
    (chart_labels), for a table that numbers its rows alike. ``span`` widens the time axis
    (e.g. to the whole chronology); ``legend`` names the line, the bands and, if it has a
    third text, the numbers; ``locale`` writes the figures the interface language's way (#16).
    """
    _check_chart_id(chart_id)
    if not points:
        return EMPTY_CHART
    _check_date_order(points)
    ticks = nice_ticks(max(max(point.value, point.value - point.change) for point in points))
    tick_texts = [format_number(tick, locale) for tick in ticks]
    plot = _Plot(left=_text_width(max(tick_texts, key=len)) + 16, top=56,
                 right=WIDTH - 24, bottom=_STEP_HEIGHT - 64)
    start, end = time_domain([d for p in points for d in (p.first_day, p.when)] + list(span or ()))
    x = _Linear(start.toordinal(), end.toordinal(), plot.left, plot.right)
    y = _Linear(0, ticks[-1], plot.bottom, plot.top)
    xs = [x(min(p.first_day for p in points).toordinal())] + [x(point.when.toordinal()) for point in points]
    ys = [y(0)] + [y(point.value) for point in points]
    legend_parts, legend_height = chart_spans.legend(
        legend[0], legend[1] if any(p.is_span for p in points) else None, plot.bottom + 84,
        legend[2] if len(legend) > 2 and numbered(points) else None) if legend else ([], 0)
    height = _STEP_HEIGHT + legend_height
    return _svg(chart_id, "chart-step", height, title, description, [
        _value_gridlines(ticks, tick_texts, y, plot),
        _year_axis(year_ticks(start, end, _year_room(plot)), x, plot),
        _axis_titles(x_label, y_label, plot),
        _step_area(xs, ys, plot),
        _element("path", {"class": "chart-line", "d": step_path(xs, ys)}),
        _step_points(points, lambda day: x(day.toordinal()), y, (unit, locale), (sum_word, span_word), plot),
        _total_label(points[-1], xs[-1], ys[-1], (unit, locale), plot),
        *legend_parts,
    ])


def bar_chart_svg(bars: list[Bar], *, chart_id: str, title: str, description: str,
                  value_label: str, unit: str = "km²", locale: Locale | None = None) -> str:
    """Draw one horizontal bar per item, in the given order, each row a link to its page."""
    _check_chart_id(chart_id)
    if not bars:
        return EMPTY_CHART
    value_texts = [format_quantity(bar.value, unit, locale) for bar in bars]
    label_room = max(_text_width(bar.label) for bar in bars) + 16
    value_room = max(_text_width(text) for text in value_texts) + 16
    rows_bottom = 8 + len(bars) * _BAR_ROW
    plot = _Plot(left=label_room, top=8, right=WIDTH - value_room, bottom=rows_bottom)
    # As many gridlines as their labels fit beside each other (#15: on 440 units, five touched).
    widest = _text_width(format_number(nice_ticks(max(bar.value for bar in bars))[-1], locale)) + 16
    ticks = nice_ticks(max(bar.value for bar in bars), max(1, min(5, int((plot.right - plot.left) // widest))))
    height = rows_bottom + 64
    x = _Linear(0, ticks[-1], plot.left, plot.right)
    return _svg(chart_id, "chart-bar", height, title, description, [
        _value_axis(ticks, x, plot, locale),
        _hidden_group("chart-axis", [
            _text(value_label, (plot.left + plot.right) / 2, plot.bottom + 52, "chart-axis-label", "middle"),
        ]),
        "\n".join(_bar_row(bar, text, index, x, plot) for index, (bar, text) in enumerate(zip(bars, value_texts))),
    ])


MAX_NUMBERED_STEPS = 40
"""Beyond this many changes the chart draws no step numbers (#15): they could not keep apart in
its height (an archive of thousands of events would pile them up), and each would cost its page
bytes for nothing; the table still numbers its rows, and each change stays a named link."""


def numbered(points: list[StepPoint]) -> bool:
    """Whether a step chart of ``points`` numbers its changes to key them to the table."""
    return len(points) <= MAX_NUMBERED_STEPS


def nice_ticks(highest: float, count: int = 5) -> list[float]:
    """Return gridline values from 0 to a round number at or above ``highest``.

    The step is the smallest of 1, 2, 2.5, 3, 4, 5 or 10 times a power of ten that
    reaches ``highest`` in ``count`` steps, so 14,682 gives 0, 3,000 … 15,000 and the
    chart wastes little height above its largest value.
    """
    if not math.isfinite(highest):
        raise ValueError(f"cannot draw a chart up to {highest!r}")
    # Below a millionth, the step would underflow (log10 of 0); such a chart shows only 0 anyway.
    highest = highest if highest >= 1e-6 else 1.0
    rough = highest / count
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in _NICE_STEPS if m * magnitude >= rough * (1 - 1e-9))
    steps = math.ceil(highest / step - 1e-9)
    return [step * index for index in range(steps + 1)]


def time_domain(days: Iterable[datetime.date]) -> tuple[datetime.date, datetime.date]:
    """Span the dates with a small margin, widened to whole years, within the calendar's years 1–9999.

    Why whole years: the axis is labelled with years, and a chart of 1992–1993 should
    show 1992, 1993 and 1994 at its year boundaries rather than a single tick. Why the
    clamp: an event on 0001-01-01 or 9999-12-31 is a valid date, and the margin around it
    must not step outside what ``datetime.date`` holds (issue 11: OverflowError).
    """
    ordered = sorted(days)
    first, last = ordered[0].toordinal(), ordered[-1].toordinal()
    margin = max(7, (last - first) // 50)
    low = datetime.date.fromordinal(max(first - margin, datetime.date.min.toordinal()))
    high = datetime.date.fromordinal(min(last + margin, datetime.date.max.toordinal()))
    end = datetime.date(high.year + 1, 1, 1) if high.year < datetime.MAXYEAR else datetime.date.max
    return datetime.date(low.year, 1, 1), end


def year_ticks(start: datetime.date, end: datetime.date, most: int = _MAX_YEAR_TICKS) -> list[int]:
    """Choose the years to label: every 1, 2, 5, 10 … years, at most ``most`` (eight) of them."""
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    years = range(first, end.year + 1)
    for step in _YEAR_STEPS:
        ticks = [year for year in years if year % step == 0]
        if len(ticks) <= most:
            return ticks
    return ticks


def _year_room(plot: _Plot) -> int:
    """How many year labels fit side by side in the plot with a gap between them (#15: on a
    440-unit chart eight of them touched)."""
    return max(2, min(_MAX_YEAR_TICKS, int((plot.right - plot.left) // (_text_width("0000") + 12))))


def step_path(xs: list[float], ys: list[float]) -> str:
    """Return path data from the first point to the last: across to each next date, then up or down."""
    commands = [f"M{_n(xs[0])} {_n(ys[0])}"]
    for x, y, previous_x, previous_y in zip(xs[1:], ys[1:], xs, ys):
        if _n(x) != _n(previous_x):
            commands.append(f"H{_n(x)}")
        if _n(y) != _n(previous_y):
            commands.append(f"V{_n(y)}")
    return "".join(commands)


def format_number(value: float, locale: Locale | None = None) -> str:
    """Write a number with thousands separators and no more decimals than it needs: '14,682', '2.5';
    with a ``locale`` (#16), the way that language groups digits ('14 682' in Russian)."""
    if locale is not None:
        return format_decimal(value, format="#,##0.##", locale=locale)
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_quantity(value: float, unit: str, locale: Locale | None = None) -> str:
    """Write a number with its unit, '3,054 km²', the way the site's tables show areas (in the
    table's language too: '3 054 км²', numerals.format_area, when ``unit`` is km²)."""
    if locale is not None and unit == "km²":
        return format_area(value, locale)
    return f"{format_number(value, locale)} {unit}".rstrip()


def format_change(change: float, unit: str, locale: Locale | None = None) -> str:
    """Write a signed change, '+289 km²' or '−3,054 km²', with a true minus sign as the tables do."""
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return sign + format_quantity(abs(change), unit, locale)


def _check_chart_id(chart_id: str) -> None:
    """Refuse ids that would break aria-labelledby (a space-separated list) or HTML ids."""
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id {chart_id!r} must be a letter followed by letters, digits, '-' or '_'")


def _check_date_order(points: list[StepPoint]) -> None:
    """Refuse points out of date order: each value is a total after the previous ones."""
    for previous, point in zip(points, points[1:]):
        if point.when < previous.when:
            raise ValueError(f"step points must be in date order: {point.when} comes after {previous.when}")


def _svg(chart_id: str, kind: str, height: int, title: str, description: str, parts: list[str]) -> str:
    """Wrap the parts in an <svg> named by its <title> and <desc>.

    role="group", not role="img": an image hides its children from assistive technology,
    and the children here are links that must stay reachable.
    """
    opening = _open_tag("svg", {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {WIDTH} {height}",
        "class": f"chart {kind}",
        "role": "group",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
    })
    heading = [
        _element("title", {"id": f"{chart_id}-title"}, _escape(title)),
        _element("desc", {"id": f"{chart_id}-desc"}, _escape(description)),
    ]
    return "\n".join([opening, *heading, *parts, "</svg>"])


def _value_gridlines(ticks: list[float], texts: list[str], y: _Linear, plot: _Plot) -> str:
    """Draw a horizontal gridline and its label for each value tick, hidden from screen readers.

    The links carry every number a listener needs; tick labels read aloud are noise.
    """
    lines, labels = [], []
    for tick, text in zip(ticks, texts):
        level = _n(y(tick))
        css = "chart-grid chart-baseline" if tick == 0 else "chart-grid"
        lines.append(_element("line", {"class": css, "x1": _n(plot.left), "y1": level,
                                       "x2": _n(plot.right), "y2": level}))
        labels.append(_text(text, plot.left - 8, y(tick) + FONT_SIZE / 3, "chart-tick", "end"))
    return _hidden_group("chart-axis", lines + labels)


def _year_axis(years: list[int], x: _Linear, plot: _Plot) -> str:
    """Draw a tick mark and a label at 1 January of each chosen year."""
    parts = []
    for year in years:
        position = x(datetime.date(year, 1, 1).toordinal())
        parts.append(_element("line", {"class": "chart-tick-mark", "x1": _n(position), "y1": _n(plot.bottom),
                                       "x2": _n(position), "y2": _n(plot.bottom + 6)}))
        parts.append(_text(str(year), position, plot.bottom + 24, "chart-tick", "middle"))
    return _hidden_group("chart-axis", parts)


def _value_axis(ticks: list[float], x: _Linear, plot: _Plot, locale: Locale | None = None) -> str:
    """Draw a vertical gridline and its label for each value tick of a bar chart."""
    parts = []
    for tick in ticks:
        position = _n(x(tick))
        css = "chart-grid chart-baseline" if tick == 0 else "chart-grid"
        parts.append(_element("line", {"class": css, "x1": position, "y1": _n(plot.top),
                                       "x2": position, "y2": _n(plot.bottom)}))
        parts.append(_text(format_number(tick, locale), x(tick), plot.bottom + 22, "chart-tick", "middle"))
    return _hidden_group("chart-axis", parts)


def _axis_titles(x_label: str, y_label: str, plot: _Plot) -> str:
    """Name the axes: the y axis above it, left-aligned, so it reads without turning the head."""
    return _hidden_group("chart-axis", [
        _text(x_label, (plot.left + plot.right) / 2, plot.bottom + 54, "chart-axis-label", "middle"),
        _text(y_label, 0, 20, "chart-axis-label", "start"),
    ])


def _step_area(xs: list[float], ys: list[float], plot: _Plot) -> str:
    """Shade the area under the step line, closing it down to the zero line."""
    bottom = _n(plot.bottom)
    outline = step_path(xs, ys) + f"V{bottom}H{_n(xs[0])}Z"
    return _element("path", {"class": "chart-area", "d": outline, "aria-hidden": "true"})


def _step_points(points: list[StepPoint], x, y: _Linear, figures: tuple[str, Locale | None], words: tuple[str, str],
                 plot: _Plot) -> str:
    """Draw each change as a link: a circle on its day, or a band over its span (chart_spans),
    with its number, the row of the table below the chart (chart_labels).

    Its <title> says the date, event, change (for a span: that it falls somewhere in it) and sum.
    """
    sum_word, span_word = words
    unit, locale = figures
    numbers = chart_labels.step_numbers(points, x, y, plot) if numbered(points) else [[] for _ in points]
    links = []
    for point, number in zip(points, numbers):
        change = format_change(point.change, unit, locale) + (f" {span_word}" if point.is_span else "")
        name = f"{point.label}: {point.title}, {change}, {sum_word} {format_quantity(point.value, unit, locale)}"
        if point.is_span:
            rects, top = chart_spans.band_rects(points, point, x, y)
            links.append(_link(point.href, name, rects + [chart_spans.span_label(point, x, top)] + number))
            continue
        circles = {"cx": _n(x(point.when)), "cy": _n(y(point.value))}
        links.append(_link(point.href, name, [
            _element("circle", {"class": "chart-hit", **circles, "r": _n(HIT_RADIUS)}),
            _element("circle", {"class": "chart-point", **circles, "r": _n(POINT_RADIUS)}),
        ] + number))
    # Bands first, so that a point inside a band (Shusha in 1988–1992) stays on top and clickable.
    links = [link for point, link in zip(points, links) if point.is_span] + \
            [link for point, link in zip(points, links) if not point.is_span]
    return _element("g", {"class": "chart-points"}, "\n" + "\n".join(links) + "\n")


def _total_label(last: StepPoint, x: float, y: float, figures: tuple[str, Locale | None], plot: _Plot) -> str:
    """Write the final total beside the last point, on the side the line does not come from.

    After a rise the line arrives from below, so the label goes above; after a fall it
    goes below. It sits left of the point unless that would leave the plot.
    """
    text = format_quantity(last.value, *figures)
    offset_y = -HIT_RADIUS - 4 if last.change >= 0 else HIT_RADIUS + FONT_SIZE
    if x - HIT_RADIUS - _text_width(text) >= plot.left:
        return _text(text, x - HIT_RADIUS, y + offset_y, "chart-value chart-total", "end", hidden=True)
    return _text(text, x + HIT_RADIUS, y + offset_y, "chart-value chart-total", "start", hidden=True)


def _bar_row(bar: Bar, value_text: str, index: int, x: _Linear, plot: _Plot) -> str:
    """Draw one row, label, bar and value, as a single link, so the whole row is a target."""
    row_top = plot.top + index * _BAR_ROW
    bar_top = row_top + (_BAR_ROW - _BAR_THICKNESS) / 2
    baseline = row_top + _BAR_ROW / 2 + FONT_SIZE / 3
    bar_end = x(bar.value)
    return _link(bar.href, f"{bar.link_name or bar.label}: {value_text}", [
        _element("rect", {"class": "chart-hit", "x": "0", "y": _n(row_top),
                          "width": _n(WIDTH), "height": _n(_BAR_ROW)}),
        _text(bar.label, plot.left - 8, baseline, "chart-label", "end"),
        _element("rect", {"class": "chart-bar", "x": _n(plot.left), "y": _n(bar_top),
                          "width": _n(bar_end - plot.left), "height": _n(_BAR_THICKNESS)}),
        _text(value_text, bar_end + 8, baseline, "chart-value", "start"),
    ])


def _link(href: str, name: str, children: list[str]) -> str:
    """Wrap marks in a link whose first child, <title>, is its accessible name."""
    title = _element("title", {}, _escape(name))
    return _element("a", {"href": href}, title + "".join(children))


def _text(content: str, x: float, y: float, css: str, anchor: str, hidden: bool = False) -> str:
    """Place text; text-anchor is an attribute, not a style, because the layout depends on it."""
    attributes = {"class": css, "x": _n(x), "y": _n(y), "text-anchor": anchor}
    if hidden:
        attributes["aria-hidden"] = "true"
    return _element("text", attributes, _escape(content))


def _hidden_group(css: str, children: list[str]) -> str:
    return _element("g", {"class": css, "aria-hidden": "true"}, "\n" + "\n".join(children) + "\n")


def _element(name: str, attributes: dict[str, str], content: str | None = None) -> str:
    """Write one element with escaped attribute values; no content makes it self-closing."""
    opening = _open_tag(name, attributes)
    if content is None:
        return opening[:-1] + "/>"
    return f"{opening}{content}</{name}>"


def _open_tag(name: str, attributes: dict[str, str]) -> str:
    written = "".join(f' {key}="{_escape(value)}"' for key, value in attributes.items())
    return f"<{name}{written}>"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _text_width(text: str) -> float:
    """Estimate how wide a text is, erring wide; SVG cannot measure text at build time.

    Armenian and Cyrillic letters are wider than Latin ones in the usual sans-serif fonts, so
    the interfaces in hy and ru (#16) get room for their labels and legends.
    """
    return sum(CHAR_WIDTH * _WIDER_SCRIPTS.get(ord(char) >> 8, 1.0) for char in text)


_WIDER_SCRIPTS = {0x04: 1.15, 0x05: 1.25}
"""Width factors by Unicode block (code point >> 8): Cyrillic U+04xx, Armenian U+05xx."""


def _n(value: float) -> str:
    """Format a coordinate with one decimal, the fixed precision that keeps output byte-stable."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text
