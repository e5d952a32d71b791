"""Keeping every page inside app.py's frame."""

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parent.parent / "app.py"


def ensure_routed_through_app() -> None:
    """Run app.py (frame and router) when Streamlit ran a page file on its own.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until app.py has
    called st.navigation in the process (AppTest resets that on every run): a first visit
    straight to a page URL would run the page alone, without the frame. Pages call this (through
    `current_dataset`) before drawing anything: it switches to st.navigation mode and runs app.py
    within the same script run, so the same page is routed with its frame and nothing the person
    clicked is lost; then it stops the page's own, frameless run.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
