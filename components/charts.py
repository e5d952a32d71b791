"""Plotly charts in French: one template (decimal comma, thin-space thousands, colour-blind-safe
colours, dark text: 4,5:1 at least), and every chart shown with its title as a heading and its
source above it — page text that wraps on a phone and is read in the heading outline — the chart
itself, and the table behind it with its CSV download (the text alternative). Streamlit's own
chart theme is not used: it greys axis text (3,7:1 on white)."""

from __future__ import annotations

import html
import textwrap
import threading

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
PROJECTION_FONT_SIZE = 22  # legible from the back of a room at 1920 × 1080
TEXT_COLOUR = "#1f1f1f"  # 16:1 on white
_headings = threading.local()  # per script run (each session runs in its own thread)


def use_chart_heading_level(level: int) -> None:
    """The heading level of the charts' titles for the rest of this run (a page whose charts
    follow its h1 directly, like Comparer's tabs, says 2; the default is 4, under a section's
    h3)."""
    _headings.level = level


def _ensure_template() -> str:
    if TEMPLATE_NAME not in pio.templates:
        template = go.layout.Template(pio.templates["plotly_white"])
        template.layout.separators = ", "  # decimal comma, space for thousands
        template.layout.colorway = CATEGORICAL_PALETTE
        template.layout.font = {"family": "Source Sans Pro, sans-serif", "size": 14,
                                "color": TEXT_COLOUR}
        template.layout.hoverlabel = {"namelength": -1}
        template.layout.legend = {"orientation": "h", "y": -0.15, "yanchor": "top"}
        axis = {"automargin": True, "color": TEXT_COLOUR, "linecolor": "#6b6b6b",
                "gridcolor": "#e3e3e3", "title": {"standoff": 8}}
        template.layout.xaxis = axis
        template.layout.yaxis = axis
        template.layout.polar = {"radialaxis": {"color": TEXT_COLOUR, "gridcolor": "#d0d0d0"},
                                 "angularaxis": {"color": TEXT_COLOUR, "gridcolor": "#d0d0d0"}}
        pio.templates[TEMPLATE_NAME] = template
    return TEMPLATE_NAME


def french_layout(fig: go.Figure, **layout) -> go.Figure:
    """Apply the Essaim template (registered once per process) and any extra layout."""
    fig.update_layout(template=_ensure_template(), margin={"l": 10, "r": 10, "t": 20, "b": 10},
                      **layout)
    return fig


def wrap_label(text: str, width: int = 18) -> str:
    """A long category label on several lines (plotly's <br>), so axis labels do not collide."""
    return "<br>".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


AXIS_TITLE_WIDTH = 32  # characters: an axis title on a phone's 330 px chart stays whole


def _wrap_axis_titles(fig: go.Figure) -> None:
    """Long axis titles on several lines: plotly does not wrap them and would cut them."""
    def wrap(axis) -> None:
        text = axis.title.text
        if text and "<br>" not in text and len(text) > AXIS_TITLE_WIDTH:
            axis.update(title_text=wrap_label(text, AXIS_TITLE_WIDTH))
    fig.for_each_xaxis(wrap)
    fig.for_each_yaxis(wrap)


def _take_title(fig: go.Figure) -> str:
    """The figure's title, removed from it: the page shows it as a heading that wraps."""
    title = str(fig.layout.title.text or "") if fig.layout.title else ""
    fig.update_layout(title_text=None)
    return title


def _for_projection(fig: go.Figure) -> go.Figure:
    """Text of PROJECTION_FONT_SIZE px at least everywhere in the chart, in black: ticks, axis
    titles, legend, subplot titles and annotations, polar axes, colour bars, text on marks."""
    size = PROJECTION_FONT_SIZE
    fig.update_layout(font={"size": size, "color": "#000000"}, legend_font_size=size,
                      hoverlabel_font_size=size)
    fig.update_xaxes(tickfont_size=size, title_font_size=size, color="#000000")
    fig.update_yaxes(tickfont_size=size, title_font_size=size, color="#000000")
    fig.update_polars(radialaxis_tickfont_size=size, angularaxis_tickfont_size=size)
    for annotation in fig.layout.annotations or ():
        annotation.font.size = max(annotation.font.size or 0, size)
    for trace in fig.data:
        if "textfont" in trace:
            trace.textfont.size = max(trace.textfont.size or 0, size)
        if "colorbar" in trace:
            trace.colorbar.tickfont.size = size
            trace.colorbar.title.font.size = size
    if fig.layout.height:
        fig.update_layout(height=int(fig.layout.height * 1.3))
    return fig


def _heading(title: str) -> None:
    level = getattr(_headings, "level", 4)
    text = html.escape(title.replace("<br>", " "))
    st.markdown(f'<h{level} class="essaim-chart-title">{text}</h{level}>', unsafe_allow_html=True)


def show_chart(fig: go.Figure, data: pd.DataFrame, file_stem: str, key: str, source: str) -> None:
    """Draw `fig` in French: its title as a heading and its source under it (page text that
    wraps), the chart, then a "Voir les données" expander with `data` (French column names
    expected) and its CSV download."""
    fig = french_layout(fig)
    title = _take_title(fig)
    _wrap_axis_titles(fig)
    if projection_mode():
        fig = _for_projection(fig)
    if title:
        _heading(title)
    st.caption(f"Source : {source}")
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=f"{key}_chart", theme=None,
                    alt=f"Graphique : {title.replace('<br>', ' ')}. Ses données sont dans le "
                        "tableau « Voir les données » qui le suit." if title else None)
    with st.expander("Voir les données"):
        show_table_with_download(data, file_stem, key=key)


def show_small_charts(charts: list[tuple[str, go.Figure]], data: pd.DataFrame, title: str,
                      file_stem: str, key: str, source: str, per_row: int = 3) -> None:
    """Small multiples: one small chart per (title, figure), `per_row` across a wide screen and
    one under the other on a phone (each then has the whole width: full years, no overlap),
    under one heading and source, with one "Voir les données" for them all."""
    _heading(title)
    st.caption(f"Source : {source}")
    for start in range(0, len(charts), per_row):
        columns = st.columns(per_row)
        for column, (name, fig) in zip(columns, charts[start:start + per_row]):
            fig = french_layout(fig)
            if projection_mode():
                fig = _for_projection(fig)
            with column:
                st.markdown(f"**{html.escape(name)}**")
                st.plotly_chart(fig, config=PLOTLY_CONFIG, key=f"{key}_{start}_{name}", theme=None,
                                alt=f"Graphique : {name}. Ses données sont dans le tableau « Voir "
                                    "les données » qui suit les graphiques.")
    with st.expander("Voir les données"):
        show_table_with_download(data, file_stem, key=key)
