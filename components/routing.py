"""Keeping every page inside app.py's frame: the one place that knows Streamlit's `pages/` quirk.

Why: Streamlit treats an app with a `pages/` folder as a legacy multipage app until app.py has
called st.navigation in the process (AppTest resets that on every run). A first visit straight to
a page URL (a link to /territoire?territoire=…, a QR code to /projection) would then run the page
file alone, without the sidebar, the banner or the router. The design keeps the `pages/` folder,
so each page starts with `route_page_through_app()`: when the page was run alone, it switches the
process to st.navigation mode, runs app.py within the same script run (so the same page is routed
with its frame and nothing the person clicked is lost) and stops the frameless run; otherwise it
does nothing.

Private API: `PagesManager.uses_pages_directory` is Streamlit's internal flag for that mode (no
public equivalent in Streamlit 1.67, pinned in requirements.txt). tests/test_routing.py fails if
an upgrade changes its meaning.
"""

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parent.parent / "app.py"


def page_runs_without_its_frame() -> bool:
    """True when Streamlit ran a page file on its own (legacy multipage mode)."""
    return bool(PagesManager.uses_pages_directory)


def route_page_through_app() -> None:
    """Run app.py (frame and router) instead of a page Streamlit ran on its own; no-op when the
    page is already running inside app.py. Call it first in every page."""
    if page_runs_without_its_frame():
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
