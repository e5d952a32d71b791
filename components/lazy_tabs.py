"""Tabs whose content runs only when open (one view computed per rerun)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def show_lazy_tabs(views: dict[str, Callable[[], None]], key: str) -> None:
    """Draw one tab per entry of `views` (French label → drawing function) and run only the open
    tab's function; switching tabs reruns the page. The open tab is `st.session_state[key]`."""
    for tab, draw in zip(st.tabs(list(views), key=key, on_change="rerun"), views.values()):
        if tab.open:
            with tab:
                draw()
