"""Project the territories' boundaries and turn them into SVG path data for templates/_map.html (#16).

Why a projection of our own and not a library: the build should need nothing beyond the
standard library to draw a map, and the region is small. The projection is Lambert's
cylindrical equal-area on the sphere, true to scale at the shapes' middle latitude, so no
territory looks larger than its neighbour for being further north; tests/test_map.py checks
it against pyproj's ``+proj=cea``. Coordinates are rounded to whole viewBox units and
written relative to the previous point, which keeps a map of the territories at a few
kilobytes and every build byte-identical.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from karabakh_site.content.geo import Geography, Point
from karabakh_site.content.model import Territory

WIDTH = 400
"""Width of every map's viewBox; the stylesheet scales it to the column."""
MARGIN = 6
"""Room around the shapes, in viewBox units, so a focus ring is not cut off."""


def project(point: Point, central_meridian: float, standard_parallel: float) -> tuple[float, float]:
    """Lambert cylindrical equal-area on the unit sphere: (x, y) with y growing northwards.

    x = (λ - λ0)·cos φ0 and y = sin φ / cos φ0, with the angles in radians: areas are kept, and
    lengths are true along the standard parallel φ0.
    """
    longitude, latitude = point
    scale = math.cos(math.radians(standard_parallel))
    return math.radians(longitude - central_meridian) * scale, math.sin(math.radians(latitude)) / scale


@dataclass(frozen=True)
class MapShape:
    """One territory as the map draws it."""

    territory: Territory
    d: str
    """SVG path data in viewBox units."""
    label_x: int
    label_y: int
    current: bool
    """This is the territory of the page the map is on: drawn with a hatch, its name in bold."""


@dataclass(frozen=True)
class TerritoryMap:
    """What templates/_map.html needs to draw a map: its size, its shapes, what it cannot draw."""

    width: int
    height: int
    shapes: tuple[MapShape, ...]
    not_drawn: tuple[Territory, ...]
    """Territories with ``shape: none``: the map lists them beside itself."""
    attribution: str
    current: Territory | None
    """The territory whose page the map is on; None on the territories and home pages."""

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def territory_map(geography: Geography | None, territories: Sequence[Territory],
                  current: Territory | None = None) -> TerritoryMap | None:
    """The map of ``territories``, ``current`` highlighted; None when the content has no boundaries."""
    if geography is None or not geography.shapes:
        return None
    points = [p for shape in geography.shapes for polygon in shape.polygons for ring in polygon for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    meridian, parallel = (west + east) / 2, (south + north) / 2
    left, top = project((west, north), meridian, parallel)
    right, bottom = project((east, south), meridian, parallel)
    scale = (WIDTH - 2 * MARGIN) / (right - left)
    height = math.ceil((top - bottom) * scale) + 2 * MARGIN

    def place(point: Point) -> tuple[int, int]:
        x, y = project(point, meridian, parallel)
        return round(MARGIN + (x - left) * scale), round(MARGIN + (top - y) * scale)

    by_id = {territory.id: territory for territory in territories}
    shapes = []
    for shape in geography.shapes:
        territory = by_id[shape.territory_id]
        d = "".join(_ring_path([place(p) for p in ring]) for polygon in shape.polygons for ring in polygon)
        shapes.append(MapShape(territory, d, *place(shape.label), current is not None and territory.id == current.id))
    return TerritoryMap(WIDTH, height, tuple(shapes), tuple(t for t in territories if t.without_shape),
                        geography.attribution, current)


def _ring_path(points: list[tuple[int, int]]) -> str:
    """``M`` to the first point, ``l`` steps to the next ones (repeated points dropped), ``z`` to close."""
    steps = []
    for (x0, y0), (x1, y1) in zip(points, points[1:-1]):
        if (x1, y1) != (x0, y0):
            steps.append(f"{x1 - x0} {y1 - y0}")
    return f"M{points[0][0]} {points[0][1]}l" + " ".join(steps).replace(" -", "-") + "z"
