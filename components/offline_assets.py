"""Where the map component's iframe finds Leaflet and its cluster plugin: on the app's own server,
so maps work with no internet.

The files are served straight from the installed xstatic packages by the routes of
essaim.web.assets (mounted by app.py); nothing is copied into the source tree.
"""

from __future__ import annotations

from essaim.web.assets import VENDOR_PREFIX

# Relative to the map component's iframe (/component/<name>/index.html), so that it also works
# when Streamlit runs under a base URL path (the routes are mounted under it too).
VENDOR_URL = f"../..{VENDOR_PREFIX}"

LEAFLET_JS = [("leaflet", f"{VENDOR_URL}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet/leaflet.css")]
MARKERCLUSTER_JS = [("markerclusterjs", f"{VENDOR_URL}/markercluster/leaflet.markercluster.js")]
# Only the structural stylesheet: the default one paints clusters green, and Essaim draws its
# own cluster icons (coloured by the innovations inside).
MARKERCLUSTER_CSS = [("markerclustercss", f"{VENDOR_URL}/markercluster/MarkerCluster.css")]

