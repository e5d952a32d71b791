"""Keeping every page inside app.py's frame."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_routed_through_app() -> None:
    """Rerun through app.py when Streamlit ran a page file on its own.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until app.py has
    called st.navigation in the process (and AppTest resets that on every run): a first visit
    straight to a page URL would run the page alone, without the frame. Pages call this (through
    `current_dataset`) before drawing anything; it switches to st.navigation mode and reruns, so
    app.py routes the same URL.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
