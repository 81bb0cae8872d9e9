import datetime
import re
from itertools import accumulate

import pytest
from lxml import etree

from karabakh_site.render.charts import (
    MAX_NUMBERED_STEPS, Bar, StepPoint, bar_chart_svg, nice_ticks, step_chart_svg, year_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": "http://www.w3.org/2000/svg"}

# The archive's nine territories: occupation date, date as shown, area in km².
TERRITORIES = [
    ("Nagorno-Karabakh", datetime.date(1992, 12, 31), "1988–1992", 4400),
    ("Shusha", datetime.date(1992, 5, 8), "8 May 1992", 289),
    ("Lachin", datetime.date(1992, 5, 18), "18 May 1992", 1840),
    ("Kalbajar", datetime.date(1993, 4, 2), "2 April 1993", 3054),
    ("Aghdam", datetime.date(1993, 7, 23), "23 July 1993", 1150),
    ("Fizuli", datetime.date(1993, 8, 23), "23 August 1993", 1390),
    ("Jabrayil", datetime.date(1993, 8, 23), "23 August 1993", 1050),
    ("Gubadli", datetime.date(1993, 8, 31), "31 August 1993", 802),
    ("Zangilan", datetime.date(1993, 10, 29), "29 October 1993", 707),
]


def occupation_points() -> list[StepPoint]:
    ordered = sorted(TERRITORIES, key=lambda row: row[1])
    totals = accumulate(row[3] for row in ordered)
    return [
        StepPoint(when, label, float(total), float(area), f"Occupation of {name}",
                  f"../chronology/#event-{name.lower()}")
        for (name, when, label, area), total in zip(ordered, totals)
    ]


def area_bars() -> list[Bar]:
    return [Bar(name, float(area), f"../territories/{name.lower()}/") for name, _, _, area in TERRITORIES]


def draw_steps(points=None, **overrides) -> str:
    options = dict(chart_id="area", title="Area under occupation", description="Cumulative area.",
                   x_label="Year", y_label="Area (km²)")
    return step_chart_svg(occupation_points() if points is None else points, **{**options, **overrides})


def draw_bars(bars=None) -> str:
    return bar_chart_svg(area_bars() if bars is None else bars, chart_id="areas", title="Areas",
                         description="Area of each territory.", value_label="Area (km²)")


def parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode("utf-8"))


def texts_of_class(svg: etree._Element, css: str) -> list[str]:
    return [element.text for element in svg.iter(f"{SVG}text") if css in element.get("class", "").split()]


def link_names(svg: etree._Element) -> list[str]:
    return [link.find(f"{SVG}title").text for link in svg.iter(f"{SVG}a")]


def pen_positions(path_data: str) -> list[tuple[float, float]]:
    """Follow M, H and V commands and return the pen position after each."""
    positions, x, y = [], 0.0, 0.0
    for command, numbers in re.findall(r"([MHV])([-\d. ]+)", path_data):
        values = [float(number) for number in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "H":
            x = values[0]
        else:
            y = values[0]
        positions.append((x, y))
    return positions


def test_step_chart_is_a_named_group_of_links():
    svg = parse(draw_steps())
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "group"
    assert svg.get("aria-labelledby") == "area-title area-desc"
    assert [svg[0].tag, svg[0].get("id"), svg[0].text] == [f"{SVG}title", "area-title", "Area under occupation"]
    assert [svg[1].tag, svg[1].get("id"), svg[1].text] == [f"{SVG}desc", "area-desc", "Cumulative area."]
    assert svg.get("class").split() == ["chart", "chart-step"]


def test_step_chart_has_one_link_per_point_in_order():
    points = occupation_points()
    svg = parse(draw_steps(points))
    links = list(svg.iter(f"{SVG}a"))
    assert len(links) == len(points) == 9
    assert [link.get("href") for link in links] == [point.href for point in points]
    assert all(float(circle.get("r")) >= 5 for circle in svg.iterfind(".//svg:circle[@class='chart-point']", NS))


def test_points_on_the_same_day_stay_distinct_links():
    svg = parse(draw_steps())
    names = link_names(svg)
    assert [name for name in names if name.startswith("23 August 1993")] == [
        "23 August 1993: Occupation of Fizuli, +1,390 km², total 12,123 km²",
        "23 August 1993: Occupation of Jabrayil, +1,050 km², total 13,173 km²",
    ]


def test_link_titles_state_change_and_total():
    names = link_names(parse(draw_steps()))
    assert names[0] == "8 May 1992: Occupation of Shusha, +289 km², total 289 km²"
    assert names[-1] == "29 October 1993: Occupation of Zangilan, +707 km², total 14,682 km²"


def test_final_total_is_labelled():
    assert texts_of_class(parse(draw_steps()), "chart-total") == ["14,682 km²"]


def test_a_return_is_written_with_a_minus_sign():
    points = occupation_points() + [
        StepPoint(datetime.date(2020, 11, 25), "25 November 2020", 11628.0, -3054.0,
                  "Return of Kalbajar", "../chronology/#event-kalbajar-return"),
    ]
    svg = parse(draw_steps(points))
    assert link_names(svg)[-1] == "25 November 2020: Return of Kalbajar, −3,054 km², total 11,628 km²"
    assert texts_of_class(svg, "chart-total") == ["11,628 km²"]


def test_value_axis_reaches_above_the_highest_total():
    svg = parse(draw_steps())
    labels = [text for text in texts_of_class(svg, "chart-tick") if "," in text or text == "0"]
    ticks = [float(text.replace(",", "")) for text in labels]
    assert ticks[0] == 0
    assert ticks[-1] >= 14682
    assert 4 <= len(ticks) <= 7
    assert "15,000" in texts_of_class(svg, "chart-tick")
    top_gridline = min(float(line.get("y1")) for line in svg.iterfind(".//svg:line[@class='chart-grid']", NS))
    points = svg.iterfind(".//svg:circle[@class='chart-point']", NS)
    highest_point = min(float(circle.get("cy")) for circle in points)
    assert top_gridline <= highest_point


def test_year_ticks_are_whole_years_and_few():
    svg = parse(draw_steps())
    years = [text for text in texts_of_class(svg, "chart-tick") if re.fullmatch(r"\d{4}", text)]
    assert years == ["1992", "1993", "1994"]
    assert year_ticks(datetime.date(1988, 1, 1), datetime.date(2024, 1, 1)) == list(range(1990, 2021, 5))
    assert year_ticks(datetime.date(1988, 1, 1), datetime.date(1996, 1, 1)) == [1988, 1990, 1992, 1994, 1996]
    assert year_ticks(datetime.date(1905, 3, 1), datetime.date(2024, 1, 1)) == [1920, 1940, 1960, 1980, 2000, 2020]


@pytest.mark.parametrize("highest, top, steps", [(14682, 15000, 5), (4400, 5000, 5), (3054, 4000, 4), (0, 1, 5)])
def test_nice_ticks(highest, top, steps):
    ticks = nice_ticks(highest)
    assert ticks[0] == 0 and ticks[-1] == pytest.approx(top) and len(ticks) == steps + 1


def test_step_line_runs_from_zero_on_the_first_day_to_the_last_point():
    """The archive's sum is 0 before the first change, which the line starts from (issue 12)."""
    svg = parse(draw_steps())
    circles = svg.findall(".//svg:circle[@class='chart-point']", NS)
    first, last = [(float(c.get("cx")), float(c.get("cy"))) for c in (circles[0], circles[-1])]
    baseline = float(svg.find(".//svg:line[@class='chart-grid chart-baseline']", NS).get("y1"))
    path = svg.find(".//svg:path[@class='chart-line']", NS).get("d")
    positions = pen_positions(path)
    assert path.startswith("M")
    assert positions[0] == (first[0], baseline) and positions[1] == first
    assert positions[-1] == last
    assert max(x for x, _ in positions) == last[0]


def span_points() -> list[StepPoint]:
    """Shusha on one day, then Nagorno-Karabakh dated only 1988–1992 (in the sum from its end)."""
    return [
        StepPoint(datetime.date(1992, 5, 8), "8 May 1992", 289.0, 289.0, "Shusha", "#shusha"),
        StepPoint(datetime.date(1992, 12, 31), "1988–1992", 4689.0, 4400.0, "Nagorno-Karabakh", "#nk",
                  start=datetime.date(1988, 1, 1)),
    ]


def test_a_span_is_a_band_from_its_first_to_its_last_day_with_a_label_and_no_point():
    svg = parse(draw_steps(span_points(), legend=("Line: sum", "Band: span")))
    nk = [a for a in svg.iter(f"{SVG}a") if a.get("href") == "#nk"][0]
    assert nk.find("svg:circle", NS) is None
    bands = nk.findall("svg:rect[@class='chart-span']", NS)
    shusha_x = float(svg.find(".//svg:a[@href='#shusha']/svg:circle", NS).get("cx"))
    edges = sorted({float(r.get("x")) for r in bands} | {round(float(r.get("x")) + float(r.get("width")), 1)
                                                        for r in bands})
    # cut where Shusha enters the sum (a band's right edge is x + width, each rounded to 0.1)
    assert len(bands) == 2 and edges[1] == pytest.approx(shusha_x, abs=0.15)
    line_start = pen_positions(svg.find(".//svg:path[@class='chart-line']", NS).get("d"))[0][0]
    assert edges[0] == line_start  # the line and the band both start on 1 January 1988
    # The band lies between the sum without the change and the sum with it.
    heights = [float(r.get("height")) for r in bands]
    assert heights[0] == pytest.approx(heights[1])
    assert texts_of_class(svg, "chart-span-label") == ["1988–1992"]
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-legend"] == ["Line: sum", "Band: span"]
    assert link_names(svg)[0] == "1988–1992: Nagorno-Karabakh, +4,400 km² somewhere in this span, total 4,689 km²"


def test_the_time_axis_can_span_more_than_the_changes():
    svg = parse(draw_steps(span_points(), span=(datetime.date(1988, 1, 1), datetime.date(2025, 8, 21))))
    def years(chart):
        return [int(text) for text in texts_of_class(chart, "chart-tick") if text.isdigit() and len(text) == 4]
    # A 440-unit chart has room for a label every ten years (#15), so 2020 is the last before 2026.
    assert years(svg)[-1] >= 2020
    assert years(parse(draw_steps(span_points())))[-1] <= 1994


def test_a_return_inside_the_chart_goes_down_and_the_legend_has_no_band_without_spans():
    points = occupation_points()[:3] + [
        StepPoint(datetime.date(2020, 12, 1), "1 December 2020", 289.0, -1840.0, "Return of Lachin", "#r")]
    svg = parse(draw_steps(points, legend=("Line: sum", "Band: span")))
    ys = [y for _, y in pen_positions(svg.find(".//svg:path[@class='chart-line']", NS).get("d"))]
    assert ys[-1] > min(ys)  # lower on screen = larger y: the sum went down
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-legend"] == ["Line: sum"]


def test_axis_labels_are_shown():
    svg = parse(draw_steps())
    assert texts_of_class(svg, "chart-axis-label") == ["Year", "Area (km²)"]


def test_output_is_deterministic():
    assert draw_steps() == draw_steps()
    assert draw_bars() == draw_bars()


def test_text_is_escaped_not_interpreted():
    nasty = 'Fall of <b>Shusha</b> & "Lachin"'
    point = StepPoint(datetime.date(1992, 5, 8), "8 May 1992", 289.0, 289.0, nasty, '?a=1&b="2"')
    svg = parse(draw_steps([point], title=nasty, x_label="<i>", y_label="&amp;"))
    assert svg.find("svg:title", NS).text == nasty
    assert link_names(svg) == [f"8 May 1992: {nasty}, +289 km², total 289 km²"]
    assert svg.find(".//svg:a", NS).get("href") == '?a=1&b="2"'
    assert texts_of_class(svg, "chart-axis-label") == ["<i>", "&amp;"]
    assert not [element for element in svg.iter() if etree.QName(element).localname in {"b", "i"}]


def test_no_inline_styles():
    for markup in (draw_steps(), draw_bars()):
        svg = parse(markup)
        assert not [element for element in svg.iter() if element.get("style") is not None]
        assert not svg.findall(".//svg:style", NS)


def test_bad_chart_id_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        draw_steps(chart_id="two words")


def test_points_out_of_date_order_are_refused():
    with pytest.raises(ValueError, match="date order"):
        draw_steps(list(reversed(occupation_points())))


@pytest.mark.parametrize("draw", [lambda: draw_steps([]), lambda: draw_bars([])])
def test_empty_input_gives_a_note(draw):
    note = parse(draw())
    assert (note.tag, note.get("class"), note.text) == ("p", "chart-empty", "No data for this chart.")


def test_bar_chart_has_one_link_per_bar_in_order():
    bars = area_bars()
    svg = parse(draw_bars(bars))
    assert svg.get("role") == "group"
    assert svg.get("aria-labelledby") == "areas-title areas-desc"
    links = list(svg.iter(f"{SVG}a"))
    assert [link.get("href") for link in links] == [bar.href for bar in bars]
    assert [link.find("svg:text[@class='chart-label']", NS).text for link in links] == [bar.label for bar in bars]
    assert link_names(svg)[3] == "Kalbajar: 3,054 km²"


def test_bar_values_are_written_with_unit():
    values = texts_of_class(parse(draw_bars()), "chart-value")
    assert values == ["4,400 km²", "289 km²", "1,840 km²", "3,054 km²", "1,150 km²",
                      "1,390 km²", "1,050 km²", "802 km²", "707 km²"]


def test_bar_widths_are_proportional():
    bars = [Bar("One", 1000.0, "one/"), Bar("Two", 2000.0, "two/"), Bar("Kalbajar", 3054.0, "k/")]
    rects = parse(draw_bars(bars)).iterfind(".//svg:rect[@class='chart-bar']", NS)
    widths = [float(rect.get("width")) for rect in rects]
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.2)
    assert widths[2] == pytest.approx(3.054 * widths[0], abs=0.2)


def test_bar_chart_grows_with_the_rows():
    def height(count: int) -> float:
        return float(parse(draw_bars(area_bars()[:count])).get("viewBox").split()[3])

    assert height(9) > height(3) > height(1)
    assert parse(draw_bars()).get("viewBox").split()[2] == "440"


def test_a_chart_of_many_changes_draws_no_step_numbers_and_no_key_for_them():
    """Thousands of events would pile numbers up and weigh the page down (#13's 200 KB page): past
    MAX_NUMBERED_STEPS a chart names each change by its link only, and its legend drops the key."""
    legend = ("The line", "A band", "Numbers: the rows of the table")
    few = etree.fromstring(draw_steps(legend=legend))
    day = datetime.date(1990, 1, 1)
    many_points = [StepPoint(day + datetime.timedelta(days=10 * n), f"day {n}", float(n + 1), 1.0, f"Change {n}", f"#e{n}")
                   for n in range(MAX_NUMBERED_STEPS + 1)]
    many = etree.fromstring(draw_steps(many_points, legend=legend))

    def texts(svg, css: str, within: str = "{*}svg") -> list[str]:
        return ["".join(t.itertext()) for part in svg.iter(within) for t in part.iter("{*}text")
                if css in (t.get("class") or "")]

    numbers = sorted(texts(few, "chart-step-number", within="{*}a"), key=int)
    assert numbers == [str(n) for n in range(1, len(occupation_points()) + 1)]
    assert texts(many, "chart-step-number") == []
    assert any("Numbers" in text for text in texts(few, "chart-legend"))
    assert not any("Numbers" in text for text in texts(many, "chart-legend"))
    assert len([a for a in many.iter("{*}a")]) == MAX_NUMBERED_STEPS + 1  # every change still a named link
