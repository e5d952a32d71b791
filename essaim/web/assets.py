"""Leaflet and Leaflet.markercluster served straight from the installed xstatic packages.

The map works with no internet: the browser loads Leaflet from the app's own server. These
routes read the files where pip installed them, so nothing is copied into the source tree.
app.py passes `vendor_routes()` to `st.App(..., routes=...)`.
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet
import xstatic.pkg.leaflet_markercluster as xstatic_markercluster
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

# Outside Streamlit's reserved prefixes (/_stcore/, /media/, /component/, /static/).
VENDOR_PREFIX = "/vendor"
VENDOR_PACKAGES: dict[str, Path] = {
    "leaflet": Path(xstatic_leaflet.BASE_DIR),
    "markercluster": Path(xstatic_markercluster.BASE_DIR),
}


def vendor_path(base_url_path: str = "") -> str:
    """The URL path under which the vendor files are served ("/vendor", or "/base/vendor" when
    Streamlit runs under `server.baseUrlPath`)."""
    base = base_url_path.strip("/")
    return f"/{base}{VENDOR_PREFIX}" if base else VENDOR_PREFIX


def vendor_routes(base_url_path: str = "") -> list[Mount]:
    """One Starlette Mount per vendor package: /vendor/leaflet/… and /vendor/markercluster/…,
    read-only, from the installed package's data folder."""
    prefix = vendor_path(base_url_path)
    return [Mount(f"{prefix}/{name}", app=StaticFiles(directory=folder), name=f"vendor_{name}")
            for name, folder in VENDOR_PACKAGES.items()]
