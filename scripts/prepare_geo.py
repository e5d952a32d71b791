"""Derive the contours shipped in data/geo/ from IGN Admin Express GeoJSON files.

Usage: python -m scripts.prepare_geo SOURCE_DIR

SOURCE_DIR holds the original files (departements-avec-outre-mer.geojson, epci.geojson,
regions-avec-outre-mer.geojson). The outputs are committed; this script documents how they
were made and lets anyone remake them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import geopandas as gpd

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"

# (source file, output file, simplification tolerance in degrees, decimals kept)
DERIVATIONS = [
    ("departements-avec-outre-mer.geojson", "departements.geojson", 0.001, 4),
    ("departements-avec-outre-mer.geojson", "departements-web.geojson", 0.01, 3),
    ("regions-avec-outre-mer.geojson", "regions-web.geojson", 0.01, 3),
]


def derive_contours(source_dir: Path) -> None:
    """Write every simplified contour file into data/geo/."""
    GEO_DIR.mkdir(parents=True, exist_ok=True)
    for source, target, tolerance, decimals in DERIVATIONS:
        frame = gpd.read_file(source_dir / source)
        frame["geometry"] = frame.geometry.simplify(tolerance, preserve_topology=True)
        frame.to_file(GEO_DIR / target, driver="GeoJSON", COORDINATE_PRECISION=decimals)
        print(f"{target}: {len(frame)} contours, {(GEO_DIR / target).stat().st_size // 1024} Ko")
    # The EPCI file is already simplified (0.004°) and rounded (1e-4°) at the source.
    shutil.copyfile(source_dir / "epci.geojson", GEO_DIR / "epci.geojson")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    derive_contours(Path(sys.argv[1]))
