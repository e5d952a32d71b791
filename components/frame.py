"""The frame drawn around every page: sidebar, projection mode and the demo-data banner."""

from __future__ import annotations

import streamlit as st

from components.data_access import current_dataset
from essaim.demo import DEMO_NOTICE, demo_notice
from essaim.formatting import escape_markdown

PROJECTION_KEY = "projection_mode"

_PROJECTION_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stAppViewContainer"] { background: #ffffff; color: #000000; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.4rem !important;
  color: #000000; font-weight: 700; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { font-size: 1.2rem !important;
  color: #000000; }
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer,
#MainMenu { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
a { color: #0b3d91 !important; text-decoration: underline; }
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


# Streamlit's file uploader is in English: relabel it in French.
_FRENCH_WIDGETS_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button:not([data-testid="stFileChips"] *) { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button:not([data-testid="stFileChips"] *)::after {
  content: "Choisir un fichier"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stIconMaterial"] { font-size: 1.1rem; }
</style>
"""


def _projection_from_url() -> bool:
    return st.query_params.get("projection") in ("1", "oui", "true")


def draw_frame() -> None:
    """Draw the shared sidebar, apply projection mode, and show the demo banner when relevant."""
    if PROJECTION_KEY not in st.session_state:
        st.session_state[PROJECTION_KEY] = _projection_from_url()
    dataset = current_dataset()
    with st.sidebar:
        st.markdown("### :material/hive: Essaim")
        st.caption("Dialogue territorial sur l'impact des innovations sociales de l'AIS#Emploi")
        st.toggle(
            "Mode projection",
            key=PROJECTION_KEY,
            help="Texte agrandi, contraste renforcé et barre d'outils masquée, pour un vidéoprojecteur.",
        )
        if dataset.holds_demo_data:
            st.caption(f"Jeu de données : **{DEMO_NOTICE.lower()}**")
        else:
            st.caption(
                f"Jeu de données : {escape_markdown(dataset.label)} "
                f"({dataset.created_at:%d/%m/%Y})"
            )
        st.caption("Références : INSEE, DREES, IGN Admin Express (voir *Sources des données*).")
    st.html(_PRINT_CSS + _FRENCH_WIDGETS_CSS)
    if st.session_state[PROJECTION_KEY]:
        st.html(_PROJECTION_CSS)
    if dataset.holds_demo_data:
        st.warning(escape_markdown(demo_notice(dataset.demo_tables)), icon=":material/science:")
