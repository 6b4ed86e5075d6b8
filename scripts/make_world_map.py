"""Build ``wirewatch/data/world_110m.json`` from Natural Earth's 110m countries.

The source is the copy of Natural Earth's ``ne_110m_admin_0_countries`` (public domain) that
the geopandas 0.14.4 wheel on PyPI ships as ``geopandas/datasets/naturalearth_lowres``. Run
once by hand; the output is committed, so nothing is fetched at run time::

    pip download --no-deps -d /tmp/gp geopandas==0.14.4
    unzip -q /tmp/gp/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d /tmp/gp
    python scripts/make_world_map.py /tmp/gp/geopandas/datasets/naturalearth_lowres

The shapefile is read with the standard library only (polygon records of the .shp, the
attribute table of the .dbf); coordinates are rounded to 0.1 degree, which is finer than a
pixel of the map the web UI draws, and rings that rounding collapses are left out.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

OUT = Path(__file__).parents[1] / "wirewatch" / "data" / "world_110m.json"


def read_dbf(path: Path, encoding: str) -> list[dict[str, str]]:
    data = path.read_bytes()
    count, header_size, record_size = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    offset = 32
    while data[offset] != 0x0D:
        name = data[offset : offset + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, data[offset + 16]))
        offset += 32
    records = []
    for index in range(count):
        start = header_size + index * record_size + 1  # skip the deletion flag
        record: dict[str, str] = {}
        for name, length in fields:
            record[name] = data[start : start + length].decode(encoding).strip()
            start += length
        records.append(record)
    return records


def read_polygons(path: Path) -> list[list[list[tuple[float, float]]]]:
    data = path.read_bytes()
    offset = 100
    shapes = []
    while offset < len(data):
        _number, length = struct.unpack(">ii", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length * 2]
        offset += 8 + length * 2
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type != 5:  # Polygon
            shapes.append([])
            continue
        parts_count, points_count = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{parts_count}i", body[44 : 44 + 4 * parts_count]))
        start = 44 + 4 * parts_count
        points = [
            struct.unpack("<dd", body[start + 16 * i : start + 16 * i + 16])
            for i in range(points_count)
        ]
        rings = []
        for first, last in zip(parts, [*parts[1:], points_count], strict=True):
            rings.append(points[first:last])
        shapes.append(rings)
    return shapes


def simplify(ring: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, 1), round(lat, 1)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def main(folder: str) -> None:
    base = Path(folder) / "naturalearth_lowres"
    encoding = base.with_suffix(".cpg").read_text().strip() or "latin-1"
    records = read_dbf(base.with_suffix(".dbf"), encoding)
    shapes = read_polygons(base.with_suffix(".shp"))
    countries = []
    for record, rings in zip(records, shapes, strict=True):
        kept = [ring for ring in map(simplify, rings) if len(ring) >= 4]
        if kept:
            countries.append({"iso_a3": record["iso_a3"], "name": record["name"], "rings": kept})
    payload = {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain), "
        "as shipped in the geopandas 0.14.4 wheel (geopandas/datasets/naturalearth_lowres)",
        "countries": countries,
    }
    OUT.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
