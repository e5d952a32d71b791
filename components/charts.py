"""Plotly charts in French: one template (decimal comma, thin-space thousands, colour-blind-safe
colours), and every chart shown with a title, its source inside the figure (it travels with a
downloaded image) and the table behind it with its CSV download (the text alternative)."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from components.frame import projection_mode
from components.tables import show_table_with_download
from essaim.explorer.geo import CATEGORICAL_PALETTE

TEMPLATE_NAME = "essaim"
# plotly.js has no French bundled in Streamlit: `locale` is kept for when it has, and the toolbar's
# tooltips are relabelled by components.french_interface. No logo, no selection tools.
PLOTLY_CONFIG = {"locale": "fr", "displaylogo": False,
                 "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
SOURCE_FONT_SIZE = 12
PROJECTION_FONT_SIZE = 22  # legible from the back of a room at 1920 × 1080


def _ensure_template() -> str:
    if TEMPLATE_NAME not in pio.templates:
        template = go.layout.Template(pio.templates["plotly_white"])
        template.layout.separators = ", "  # decimal comma, space for thousands
        template.layout.colorway = CATEGORICAL_PALETTE
        template.layout.font = {"family": "Source Sans Pro, sans-serif", "size": 14,
                                "color": "#1f1f1f"}
        template.layout.hoverlabel = {"namelength": -1}
        template.layout.legend = {"orientation": "h", "y": -0.15, "yanchor": "top"}
        template.layout.xaxis = {"automargin": True}
        template.layout.yaxis = {"automargin": True}
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


def _title_text(fig: go.Figure) -> str:
    title = fig.layout.title.text if fig.layout.title else None
    return str(title or "")


def _with_source(fig: go.Figure, source: str) -> go.Figure:
    """The source under the title (plotly's subtitle): inside the figure, so it travels with a
    downloaded image, and clear of the axes, ticks and legend below the plot."""
    lines = "<br>".join(textwrap.wrap(f"Source : {html.escape(source)}", 140))
    pad = max(fig.layout.title.pad.b or 0, 14)
    fig.update_layout(title={"automargin": True, "yref": "paper", "x": 0, "xanchor": "left",
                             "xref": "paper", "pad": {"b": pad},
                             "subtitle": {"text": lines,
                                          "font": {"size": SOURCE_FONT_SIZE, "color": "#3d3d3d"}}})
    return fig


def _for_projection(fig: go.Figure) -> go.Figure:
    """Larger text for a projector: title, ticks, legend, annotations."""
    fig.update_layout(font={"size": PROJECTION_FONT_SIZE, "color": "#000000"},
                      title_font_size=PROJECTION_FONT_SIZE + 6,
                      title_subtitle_font_size=PROJECTION_FONT_SIZE - 4,
                      legend_font_size=PROJECTION_FONT_SIZE)
    fig.update_xaxes(tickfont_size=PROJECTION_FONT_SIZE, title_font_size=PROJECTION_FONT_SIZE)
    fig.update_yaxes(tickfont_size=PROJECTION_FONT_SIZE, title_font_size=PROJECTION_FONT_SIZE)
    if fig.layout.height:
        fig.update_layout(height=int(fig.layout.height * 1.3))
    return fig


def show_chart(fig: go.Figure, data: pd.DataFrame, file_stem: str, key: str, source: str) -> None:
    """Draw `fig` in French with its title and its source line inside it, then a "Voir les
    données" expander with `data` (French column names expected) and its CSV download."""
    fig = _with_source(french_layout(fig), source)
    if projection_mode():
        fig = _for_projection(fig)
    title = _title_text(fig).replace("<br>", " ")
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=f"{key}_chart",
                    alt=f"Graphique : {title}. Ses données sont dans le tableau « Voir les données » "
                        "qui le suit." if title else None)
    with st.expander("Voir les données"):
        st.caption(f"Source : {source}")
        show_table_with_download(data, file_stem, key=key)
