"""Entry cards of the home page."""

from __future__ import annotations

import streamlit as st


def draw_entry_card(container, title: str, text: str, links: list[tuple[str, str, str]]) -> None:
    """A bordered card: a title (may start with a :material/…: icon), a sentence, and links
    given as (page file, label, icon)."""
    with container.container(border=True):
        st.markdown(f"### {title}")
        st.markdown(text)
        for page, label, icon in links:
            st.page_link(page, label=label, icon=icon)
