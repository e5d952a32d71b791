"""Pushes a session's changes to the projected screen: a small Streamlit component (public
st.components.v2 API) holds a long poll on the phone API's /ecran route and, when the session
moves, triggers a rerun of the fragment it sits in. The screen redraws when something changed,
at most every `gap` seconds, and costs nothing while the room is quiet."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from essaim.web.phone_api import API_PREFIX

SCRIPT = Path(__file__).parent / "assets" / "session_watch.js"


@functools.cache
def _component():
    return st.components.v2.component("essaim_session_watch",
                                      js=SCRIPT.read_text(encoding="utf-8"))


def screen_url(code: str) -> str:
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"{'/' + base if base else ''}{API_PREFIX}/{code}/ecran"


def watch_session(code: str, version: int, key: str, gap: float = 0.25,
                  offset: float = 0.0) -> None:
    """Inside a fragment: rerun it as soon as the session moves past `version` (`offset`
    seconds later: two fragments of a page must not ask at the same moment), but not twice
    within `gap` seconds."""
    _component()(key=key, data={"url": screen_url(code), "version": int(version), "name": key,
                                "gap_ms": int(gap * 1000), "offset_ms": int(offset * 1000)},
                 on_version_change=lambda: None, height=0)
