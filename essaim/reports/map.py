"""The map of a restitution: metropolitan départements as outlines, an inset for each overseas
département holding one of the scope's territories, and one marker per territory coloured by
innovation. Plain geometry (shapely), drawn natively by both documents: freeform shapes in the
deck, vector paths in the PDF."""

from __future__ import annotations

import math

import pandas as pd
from shapely.geometry import shape

from essaim.data.dataset import Dataset
from essaim.explorer.geo import innovation_colours
from essaim.reports.model import MapBlock

# Degrees of tolerance when simplifying the outlines: invisible at slide size, 4 times fewer points.
SIMPLIFY_DEGREES = 0.02
# Longitude is shortened by the cosine of France's mean latitude (a simple equirectangular view).
MEAN_LATITUDE = 46.5
INSET_SIZE = 2.4  # side of an overseas inset, in the map's units (metropolitan France ≈ 10 wide)
INSET_GAP = 0.35
MARKER_OFFSET = 0.16  # how far apart two innovations of the same territory are drawn


def _rings(geometry) -> list[list[tuple[float, float]]]:
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    return [list(polygon.exterior.coords) for polygon in polygons]


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(MEAN_LATITUDE)), -lat


def _is_overseas(code: str) -> bool:
    return len(str(code)) > 2


def build_map(dataset: Dataset, essaimages: pd.DataFrame, contours: dict, title: str) -> MapBlock:
    """The map of the scope's essaimages (a frame with code, innovation_code, innovation,
    territory_code): metropolitan outlines, overseas insets where needed, markers and legend."""
    territories = dataset.territories.set_index("code")
    places = territories.loc[sorted(set(essaimages["territory_code"]))]
    overseas_codes = sorted({c for c in places["code_departement"] if _is_overseas(c)})
    features = {f["properties"]["code"]: f for f in contours["features"]}

    metro = []  # per département, its rings
    for code, feature in features.items():
        if _is_overseas(code):
            continue
        geometry = shape(feature["geometry"]).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        metro.append([[_project(x, y) for x, y in ring] for ring in _rings(geometry)])
    xs = [x for rings in metro for ring in rings for x, _ in ring]
    ys = [y for rings in metro for ring in rings for _, y in ring]
    top, metro_right, bottom = min(ys), max(xs), max(ys)
    # Insets stack down the left side, as many as fit beside metropolitan France.
    size = min(INSET_SIZE, (bottom - top + INSET_GAP) / max(len(overseas_codes), 1) - INSET_GAP)
    left = min(xs) - (size + INSET_GAP if overseas_codes else 0)

    def to_box(point: tuple[float, float]) -> tuple[float, float]:
        return point[0] - left, point[1] - top

    outlines = [[[to_box(p) for p in ring] for ring in rings] for rings in metro]
    frames = []
    placements = {}  # overseas département → function placing its coordinates in its inset
    for index, code in enumerate(overseas_codes):
        if code not in features:
            continue
        geometry = shape(features[code]["geometry"]).simplify(SIMPLIFY_DEGREES / 4)
        placements[code] = _inset(geometry, left, top + index * (size + INSET_GAP), size)
        frame_x, frame_y = to_box((left, top + index * (size + INSET_GAP)))
        frames.append([(frame_x, frame_y), (frame_x + size, frame_y),
                         (frame_x + size, frame_y + size), (frame_x, frame_y + size),
                         (frame_x, frame_y)])
        outlines.append([[to_box(placements[code](x, y)) for x, y in ring]
                         for ring in _rings(geometry)])

    colours = innovation_colours(list(dataset.innovations["code"]))
    markers, legend = [], {}
    for territory_code, group in essaimages.sort_values("innovation_code").groupby("territory_code"):
        place = territories.loc[territory_code]
        department = place["code_departement"]
        if _is_overseas(department):
            if department not in placements:
                continue
            x, y = placements[department](place["longitude"], place["latitude"])
        else:
            x, y = _project(place["longitude"], place["latitude"])
        for rank, row in enumerate(group.itertuples()):
            bx, by = to_box((x + rank * MARKER_OFFSET, y))
            markers.append((bx, by, colours[row.innovation_code]))
            legend[row.innovation] = colours[row.innovation_code]
    names = [features[c]["properties"]["nom"] for c in overseas_codes if c in features]
    caption = "Contours : IGN Admin Express 2018 (Licence Ouverte)."
    if names:
        caption += " Encadrés à gauche, hors échelle : " + ", ".join(names) + "."
    return MapBlock(title=title, outlines=outlines, frames=frames, markers=markers,
                    legend=sorted(legend.items()), width=metro_right - left, height=bottom - top,
                    caption=caption)


def _inset(geometry, left: float, top: float, size: float):
    """A function placing (lon, lat) of an overseas département into a square inset of side
    `size` whose top-left corner is (left, top) in projected units."""
    min_x, min_y, max_x, max_y = geometry.bounds
    span = max(max_x - min_x, max_y - min_y) or 1.0
    scale = (size * 0.86) / span
    pad_x = (size - (max_x - min_x) * scale) / 2
    pad_y = (size - (max_y - min_y) * scale) / 2

    def place(lon: float, lat: float) -> tuple[float, float]:
        return left + pad_x + (lon - min_x) * scale, top + pad_y + (max_y - lat) * scale

    return place
