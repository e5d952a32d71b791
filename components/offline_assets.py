"""Leaflet and its cluster plugin served by Streamlit itself, so maps work with no internet.

The files come from the installed xstatic packages and are copied at start-up into
static/vendor/ (git-ignored): Streamlit refuses symlinks that leave ./static/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st
import xstatic.pkg.leaflet as xstatic_leaflet
import xstatic.pkg.leaflet_markercluster as xstatic_markercluster

from essaim.paths import STATIC_DIR

VENDOR_DIR = STATIC_DIR / "vendor"
# Relative to the map component's iframe (/component/<name>/index.html), so that it also works
# when Streamlit runs under a base URL path.
VENDOR_URL = "../../app/static/vendor"

LEAFLET_JS = [("leaflet", f"{VENDOR_URL}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet/leaflet.css")]
MARKERCLUSTER_JS = [("markerclusterjs", f"{VENDOR_URL}/markercluster/leaflet.markercluster.js")]
MARKERCLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR_URL}/markercluster/MarkerCluster.css"),
    ("markerclusterdefault", f"{VENDOR_URL}/markercluster/MarkerCluster.Default.css"),
]


@st.cache_resource(show_spinner=False)
def install_vendor_assets() -> Path:
    """Copy Leaflet and Leaflet.markercluster into static/vendor/ once per process."""
    for name, package in (("leaflet", xstatic_leaflet), ("markercluster", xstatic_markercluster)):
        shutil.copytree(package.BASE_DIR, VENDOR_DIR / name, dirs_exist_ok=True)
    return VENDOR_DIR
