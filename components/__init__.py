"""Reusable Streamlit pieces shared by the pages (frame, data access, tables, map).

Importing this package also guards the routing: see `_route_through_app`.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx


def _route_through_app() -> None:
    """Make sure every page runs inside app.py's frame.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until app.py has
    called st.navigation once in the process; on a fresh server, a first visit straight to a
    page URL would run that page alone, without the frame. The first page to import this package
    in that state switches the process to st.navigation mode and reruns, so app.py routes it.
    """
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_app()
