"""Check the territories' boundaries (content/geo/territories.geojson) against the chronology (#16).

Why a check of its own: a map that silently leaves a territory out tells the reader it is
not there. So once the content has boundaries, every territory of chronology.yaml needs a
shape in them, or says ``shape: none`` and is listed beside the map instead of drawn; a
shape for a territory the chronology does not know is an error too. The file is read with
the standard library (load.py); only scripts/make_geo.py, which makes it, needs shapely.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from karabakh_site.errors import Problems

Point = tuple[float, float]
"""Longitude and latitude in degrees (WGS 84, as GeoJSON has them)."""
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]
"""An outer ring, then its holes."""


@dataclass(frozen=True)
class Shape:
    """One territory's boundary."""

    territory_id: str
    polygons: tuple[Polygon, ...]
    label: Point
    """Where its name is written: a point well inside its largest part."""


@dataclass(frozen=True)
class Geography:
    """The boundaries of the territories that have one, and where they come from."""

    shapes: tuple[Shape, ...]
    attribution: str
    """Where the boundaries come from, shown with every map."""
    path: str


class _Territory(Protocol):
    id: str
    line: int
    without_shape: bool


def read_geography(data: object, text: str, path: str, territories: Sequence[_Territory], chronology_path: str,
                   withheld: Iterable[str], problems: Problems) -> Geography | None:
    """The shapes of ``data`` (the parsed file at ``path``), each checked; None for a content without the file.

    ``withheld`` are ids of territories left out for errors already reported: a shape for one
    is not called unknown.
    """
    if not path or data is None:  # no file, or one that could not be read (reported by load.py)
        return None
    shapes, named = _shapes(data, text, path, problems)
    ids = {territory.id for territory in territories}
    for shape in shapes:
        if shape.territory_id not in ids and shape.territory_id not in set(withheld):
            problems.add(path, _line_of(text, shape.territory_id), f"shape for unknown territory "
                         f"{shape.territory_id!r}", "its id must be a territory of " + chronology_path)
    drawn = {shape.territory_id for shape in shapes}
    for territory in territories:
        if territory.id not in named and not territory.without_shape:
            problems.add(chronology_path, territory.line, f"territory {territory.id!r} has no shape in {path}",
                         "add it with scripts/make_geo.py, or write 'shape: none' to list it beside the map")
        elif territory.id in drawn and territory.without_shape:
            problems.add(chronology_path, territory.line, f"territory {territory.id!r} says 'shape: none', "
                         f"but {path} has a shape for it", "remove one of the two")
    attribution = data.get("attribution") if isinstance(data, dict) else None
    if not (isinstance(attribution, str) and attribution.strip()):
        problems.add(path, 1, "no 'attribution': the map must say where its boundaries come from",
                     "regenerate the file with scripts/make_geo.py")
        attribution = ""
    listed = {territory.id for territory in territories if territory.without_shape}
    return Geography(tuple(s for s in shapes if s.territory_id in ids - listed), attribution.strip(), path)


def _shapes(data: object, text: str, path: str, problems: Problems) -> tuple[list[Shape], set[str]]:
    """Every well-formed feature of the FeatureCollection as a Shape, a problem for each other one, and
    the territory ids all features name: a malformed shape is reported once, not also as missing."""
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        problems.add(path, 1, "expected a GeoJSON FeatureCollection with a list of features")
        return [], set()
    shapes: dict[str, Shape] = {}
    named: set[str] = set()
    for index, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        territory_id = properties.get("territory") if isinstance(properties, dict) else None
        if not isinstance(territory_id, str):
            problems.add(path, None, f"feature {index + 1} has no 'territory' property naming its territory")
            continue
        named.add(territory_id)
        line = _line_of(text, territory_id)
        polygons = _polygons(feature.get("geometry"))
        label = _point(properties.get("label"))
        if polygons is None or label is None:
            problems.add(path, line, f"the shape of territory {territory_id!r} is not a Polygon or MultiPolygon "
                         "of longitudes and latitudes with a 'label' point", "regenerate it with scripts/make_geo.py")
        elif territory_id in shapes:
            problems.add(path, line, f"territory {territory_id!r} has two shapes", "keep one")
        else:
            shapes[territory_id] = Shape(territory_id, polygons, label)
    return list(shapes.values()), named


def _polygons(geometry: object) -> tuple[Polygon, ...] | None:
    if not isinstance(geometry, dict):
        return None
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        coordinates = [coordinates]
    elif geometry.get("type") != "MultiPolygon":
        return None
    if not isinstance(coordinates, list) or not coordinates:
        return None
    polygons = []
    for polygon in coordinates:
        if not isinstance(polygon, list) or not polygon:
            return None
        rings = tuple(_ring(ring) for ring in polygon)
        if any(ring is None for ring in rings):
            return None
        polygons.append(rings)
    return tuple(polygons)


def _ring(ring: object) -> Ring | None:
    """A closed ring of at least four points (RFC 7946), or None."""
    if not isinstance(ring, list) or len(ring) < 4:
        return None
    points = tuple(_point(point) for point in ring)
    if any(point is None for point in points) or points[0] != points[-1]:
        return None
    return points


def _point(value: object) -> Point | None:
    if not (isinstance(value, list) and len(value) == 2):
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        return None
    longitude, latitude = value
    return (float(longitude), float(latitude)) if -180 <= longitude <= 180 and -90 <= latitude <= 90 else None


def _line_of(text: str, territory_id: str) -> int | None:
    """The line of the feature whose ``territory`` is ``territory_id``, found in the file's text."""
    found = re.search(r'"territory"\s*:\s*' + re.escape(f'"{territory_id}"'), text)
    return text.count("\n", 0, found.start()) + 1 if found else None
