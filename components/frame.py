"""The frame drawn around every page: sidebar, French interface, accessible colours, projection
mode and the demo-data banner."""

from __future__ import annotations

import streamlit as st

from components.data_access import current_dataset
from components.french_interface import french_interface_script
from components.territory_search import warm_search_index
from essaim.data.demo import DEMO_NOTICE, demo_notice
from essaim.numbers.formatting import escape_markdown

PROJECTION_KEY = "projection_mode"

# Streamlit's light theme fades captions (opacity 0.6) and greys placeholders: 3.8:1 on the
# sidebar, below WCAG AA's 4.5:1. These shades keep the hierarchy and pass (#4f4f4f: 8:1 on white).
_ACCESSIBLE_CSS = """
<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #4f4f4f; }
[data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"] p { color: #262730; }
input::placeholder, textarea::placeholder { color: #595959 !important; opacity: 1; }
[data-baseweb="select"] [aria-hidden="true"] + div, [data-baseweb="select"] div[value=""] { color: #595959; }
[data-testid="stTooltipIcon"] svg { color: #4f4f4f; }
a:not([data-testid]) { color: #0b57a6; }
/* Metric labels wrap rather than end in "…" ("Étape II – Mobilisation des pa…"). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; height: auto !important; }
/* The selected option of segmented controls and pills: the theme's orange is 4.1:1 on its tint. */
button[data-selected="true"] [data-testid="stMarkdownContainer"] p { color: #7a3e00; }
.essaim-brand { font-size: 1.25rem; font-weight: 700; margin: 0; }
/* Phones: what the page is for comes first — less room above the title, a smaller title, the
   demo notice as one compact line. */
@media (max-width: 640px) {
  .block-container, [data-testid="stMainBlockContainer"] { padding-top: 3.2rem !important; }
  h1 { font-size: 1.9rem !important; padding-top: 0.2rem !important; }
  h2 { font-size: 1.45rem !important; }
  h3 { font-size: 1.2rem !important; }
  [data-testid="stAlertContainer"] { padding: 0.45rem 0.7rem !important; }
  [data-testid="stAlertContainer"] p { font-size: 0.85rem !important; line-height: 1.35 !important; }
}
</style>
"""

# A projector at 1920×1080: text of at least 24 px, contrast of at least 7:1 (WCAG AAA), no
# sidebar, no cut labels; the toolbar and the header go.
_PROJECTION_CSS = """
<style>
html { font-size: 24px !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff; color: #000000; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer, #MainMenu { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 1rem 2rem !important;
  max-width: 100% !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
[data-testid="stWidgetLabel"] *, [data-testid="stAlertContentInfo"] *,
[data-testid="stAlertContentWarning"] *, [data-testid="stAlertContentSuccess"] *,
[data-testid="stAlertContentError"] *, [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"] *, [data-testid="stExpander"] summary *,
[data-baseweb="tab"] *, [data-baseweb="select"] *, input, label, button * { color: #000000 !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-baseweb="select"] div, input, button p,
[data-testid="stExpander"] summary p { font-size: 1rem !important; }
h1 { font-size: 2.2rem !important; } h2 { font-size: 1.7rem !important; }
h3 { font-size: 1.35rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.2rem !important;
  color: #000000; font-weight: 700; }
/* Nothing cut with an ellipsis: labels wrap instead. */
.stMarkdownEllipsis, [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-baseweb="tab"] *, [data-testid="stWidgetLabel"] *, [data-baseweb="select"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-baseweb="tag"], [data-baseweb="tag"] span { max-width: none !important;
  white-space: normal !important; overflow: visible !important; }
a, a * { color: #0b3d91 !important; text-decoration: underline; }
[data-testid="stAlertContainer"] { background: #ffffff !important; border: 3px solid #000000; }
</style>
"""


# Browser print (to PDF) of any page: no sidebar, toolbar or widgets' chrome, no page-breaks
# inside a block.
_PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stDownloadButton"],
  [data-testid="stExpander"], .stTextInput, .stSelectbox, .stSegmentedControl,
  [data-testid="stElementToolbar"] { display: none !important; }
  .block-container { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stVerticalBlock"] > div { break-inside: avoid; }
}
</style>
"""


def _projection_from_url() -> bool:
    return st.query_params.get("projection") in ("1", "oui", "true")


def projection_mode() -> bool:
    """Whether the page is shown for a projector (pages size their charts and map by it)."""
    return bool(st.session_state.get(PROJECTION_KEY))


def _leave_projection() -> None:
    st.session_state[PROJECTION_KEY] = False
    if "projection" in st.query_params:
        del st.query_params["projection"]


def apply_french_interface() -> None:
    """French for Streamlit's and plotly's own strings, the page language, valid navigation
    markup and a visible keyboard focus (components.french_interface). Call once per page:
    draw_frame does; a page with a frame of its own calls it itself."""
    st.html(french_interface_script(), unsafe_allow_javascript=True)


def draw_frame() -> None:
    """Draw the shared sidebar, apply projection mode, and show the demo banner when relevant."""
    if PROJECTION_KEY not in st.session_state:
        st.session_state[PROJECTION_KEY] = _projection_from_url()
    warm_search_index()
    with st.sidebar:
        # First of all the elements, so that it runs as soon as the page starts to draw.
        apply_french_interface()
    dataset = current_dataset()
    with st.sidebar:
        # Not a heading: the page's own h1 is the first heading of the outline.
        st.markdown('<p class="essaim-brand">Essaim</p>', unsafe_allow_html=True)
        st.caption("Dialogue territorial sur l'impact des innovations sociales de l'AIS#Emploi")
        st.toggle(
            "Mode projection",
            key=PROJECTION_KEY,
            help="Texte agrandi, contraste renforcé, menu et barre d'outils masqués, pour un "
                 "vidéoprojecteur.",
        )
        if dataset.holds_demo_data:
            st.caption(f"Jeu de données : **{DEMO_NOTICE.lower()}**")
        else:
            st.caption(
                f"Jeu de données : {escape_markdown(dataset.label)} "
                f"({dataset.created_at:%d/%m/%Y})"
            )
        st.caption("Références : INSEE, DREES, IGN Admin Express (voir *Sources des données*).")
    st.html(_PRINT_CSS + _ACCESSIBLE_CSS)
    if projection_mode():
        # One line above the page: the way out of projection mode (the sidebar is hidden) and,
        # for demo data, its notice.
        st.html(_PROJECTION_CSS)
        way_out, notice = st.columns([1, 4], vertical_alignment="center")
        way_out.button("Quitter le mode projection", icon=":material/close_fullscreen:",
                       on_click=_leave_projection, key="leave_projection", type="tertiary")
        if dataset.holds_demo_data:
            notice.caption(f":material/science: {escape_markdown(demo_notice(dataset.demo_tables))}")
    elif dataset.holds_demo_data:
        st.warning(escape_markdown(demo_notice(dataset.demo_tables)), icon=":material/science:")
