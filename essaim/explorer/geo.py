"""Contours shipped in data/geo/ and the pure-data steps that prepare them for a map."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

from shapely.geometry import Point, shape

from essaim.errors import DataFileError
from essaim.explorer.classify import assign_class, class_colour
from essaim.numbers.formatting import format_number
from essaim.paths import GEO_DIR

# Okabe–Ito: a categorical palette readable with every common colour-vision deficiency.
CATEGORICAL_PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                       "#000000"]


def load_geojson(filename: str, directory: Path = GEO_DIR) -> dict:
    """A GeoJSON FeatureCollection from data/geo (DataFileError if missing or unreadable)."""
    path = directory / filename
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DataFileError(
            f"Le fichier de contours {path.name} est absent ou illisible ({error}).",
            "Restaurez le dossier data/geo depuis le dépôt ou refaites-le avec python -m scripts.prepare_geo.",
        ) from error


def innovation_colours(innovation_codes: list[str]) -> dict[str, str]:
    """A distinct, colour-blind-safe colour per innovation, stable for a given ordered list."""
    return {code: CATEGORICAL_PALETTE[i % len(CATEGORICAL_PALETTE)]
            for i, code in enumerate(innovation_codes)}


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a "#rrggbb" colour (0 black – 1 white)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two "#rrggbb" colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG 2 contrast ratio)."""
    return max(("#000000", "#ffffff"), key=lambda text: contrast_ratio(text, background))


def colour_departements(geojson: dict, values: dict[str, float], breaks: list[float], unit: str,
                        decimals: int = 1) -> dict:
    """A copy of the département contours with fill colour and a French value label per feature."""
    coloured = copy.deepcopy(geojson)
    class_count = max(len(breaks) - 1, 0)
    for feature in coloured["features"]:
        props = feature["properties"]
        value = values.get(props["code"])
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        # Classed as shown (at `decimals`), like the legend's bounds (essaim.explorer.classify).
        shown = None if missing else round(float(value), decimals)
        props["fill"] = class_colour(None if missing else assign_class(shown, breaks), class_count)
        props["valeur"] = format_number(value, decimals, unit) if not missing else "n.d."
    return coloured


def _bounds(geometries) -> list[list[float]]:
    """[[south, west], [north, east]] around shapely geometries, rounded for the browser."""
    boxes = [g.bounds for g in geometries]
    return [[round(min(b[1] for b in boxes), 3), round(min(b[0] for b in boxes), 3)],
            [round(max(b[3] for b in boxes), 3), round(max(b[2] for b in boxes), 3)]]


def is_overseas(departement_code: str) -> bool:
    """Overseas départements have three-digit codes (971 Guadeloupe … 976 Mayotte)."""
    return len(str(departement_code)) == 3


def mainland_bounds(geojson: dict) -> list[list[float]]:
    """The bounds of metropolitan France, Corsica included, from the département contours."""
    return _bounds(shape(f["geometry"]) for f in geojson["features"]
                   if not is_overseas(f["properties"]["code"]))


def overseas_insets(geojson: dict) -> list[dict]:
    """One inset per overseas département of the contours, in code order: code, name, bounds."""
    features = sorted((f for f in geojson["features"] if is_overseas(f["properties"]["code"])),
                      key=lambda f: f["properties"]["code"])
    return [{"code": f["properties"]["code"], "name": f["properties"]["nom"],
             "bounds": _bounds([shape(f["geometry"])])} for f in features]


def points_bounds(points: list[tuple[float, float]], margin: float = 0.05) -> list[list[float]] | None:
    """[[south, west], [north, east]] around (latitude, longitude) points, a little wider; None
    when there is no point."""
    if not points:
        return None
    latitudes = [p[0] for p in points]
    longitudes = [p[1] for p in points]
    return [[min(latitudes) - margin, min(longitudes) - margin],
            [max(latitudes) + margin, max(longitudes) + margin]]


def select_epci(geojson: dict, sirens: set[str]) -> dict:
    """Only the EPCI contours whose SIREN is in `sirens`."""
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["code"] in sirens],
    }


def departement_of_point(geojson: dict, latitude: float, longitude: float) -> str | None:
    """The code of the département whose contour contains the point, or None."""
    point = Point(longitude, latitude)
    for feature in geojson["features"]:
        if shape(feature["geometry"]).contains(point):
            return feature["properties"]["code"]
    return None


def spread_colocated(points: list[tuple[str, float, float]], min_distance: float = 0.01,
                     offset: float = 0.02) -> dict[str, tuple[float, float]]:
    """Display positions: points closer than `min_distance` degrees are set around a small circle
    so that no marker hides another; isolated points keep their position."""
    positions: dict[str, tuple[float, float]] = {}
    groups: list[list[tuple[str, float, float]]] = []
    for item in points:
        for group in groups:
            if abs(group[0][1] - item[1]) < min_distance and abs(group[0][2] - item[2]) < min_distance:
                group.append(item)
                break
        else:
            groups.append([item])
    for group in groups:
        if len(group) == 1:
            code, lat, lon = group[0]
            positions[code] = (lat, lon)
            continue
        for i, (code, lat, lon) in enumerate(group):
            angle = 2 * math.pi * i / len(group)
            positions[code] = (round(lat + offset * math.sin(angle), 5),
                               round(lon + offset * math.cos(angle), 5))
    return positions
