"""Plotly charts in French: one template (decimal comma, thin-space thousands, colour-blind-safe
colours), and every chart shown with the table behind it and its CSV download."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from components.tables import show_table_with_download
from essaim.geo import CATEGORICAL_PALETTE

TEMPLATE_NAME = "essaim"
PLOTLY_CONFIG = {"locale": "fr", "displaylogo": False,
                 "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def _ensure_template() -> str:
    if TEMPLATE_NAME not in pio.templates:
        template = go.layout.Template(pio.templates["plotly_white"])
        template.layout.separators = ", "  # decimal comma, space for thousands
        template.layout.colorway = CATEGORICAL_PALETTE
        template.layout.font = {"family": "Source Sans Pro, sans-serif", "size": 14}
        template.layout.hoverlabel = {"namelength": -1}
        template.layout.legend = {"orientation": "h", "y": -0.2}
        pio.templates[TEMPLATE_NAME] = template
    return TEMPLATE_NAME


def french_layout(fig: go.Figure, **layout) -> go.Figure:
    """Apply the Essaim template (registered once per process) and any extra layout."""
    fig.update_layout(template=_ensure_template(), margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      **layout)
    return fig


def wrap_label(text: str, width: int = 18) -> str:
    """A long category label on several lines (plotly's <br>), so axis labels do not collide."""
    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def show_chart(fig: go.Figure, data: pd.DataFrame, file_stem: str, key: str, source: str) -> None:
    """Draw `fig` in French with its source line under it, then a "Voir les données" expander
    with `data` (French column names expected) and its CSV download."""
    st.plotly_chart(french_layout(fig), config=PLOTLY_CONFIG, key=f"{key}_chart")
    st.caption(f"Source : {source}")
    with st.expander("Voir les données"):
        show_table_with_download(data, file_stem, key=key)
