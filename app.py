"""Essaim: router and frame. Declares the pages, draws the shared frame, runs the chosen page."""

from pathlib import Path

import streamlit as st

from components.frame import draw_frame
from components.offline_assets import install_vendor_assets
from essaim.site_map import SITE_MAP

PAGES_DIR = Path(__file__).parent / "pages"


def build_navigation() -> dict[str, list]:
    """The pages grouped by audience, with French titles (essaim.site_map)."""
    groups: dict[str, list] = {}
    for spec in SITE_MAP:
        groups.setdefault(spec.group, []).append(st.Page(
            PAGES_DIR / spec.file, title=spec.title, icon=spec.icon,
            url_path=spec.url_path or None, default=not spec.url_path))
    return groups


st.set_page_config(page_title="Essaim", page_icon=str(Path(__file__).parent / "static" / "essaim.png"), layout="wide")
install_vendor_assets()
page = st.navigation(build_navigation())
draw_frame()
page.run()
