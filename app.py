"""Essaim: router and frame. Declares the pages, draws the shared frame, runs the chosen page."""

from pathlib import Path

import streamlit as st

from components.frame import draw_frame
from components.offline_assets import install_vendor_assets

PAGES_DIR = Path(__file__).parent / "pages"


def build_navigation() -> dict[str, list]:
    """The pages grouped by audience, with French titles."""
    return {
        "Explorer": [
            st.Page(PAGES_DIR / "accueil.py", title="Accueil", icon=":material/home:", default=True),
            st.Page(PAGES_DIR / "carte.py", title="Carte des territoires", icon=":material/map:",
                    url_path="carte"),
            st.Page(PAGES_DIR / "territoire.py", title="Mon territoire", icon=":material/location_on:",
                    url_path="territoire"),
            st.Page(PAGES_DIR / "comparer.py", title="Comparer les indicateurs",
                    icon=":material/compare:", url_path="comparer"),
        ],
        "Animer un atelier": [
            st.Page(PAGES_DIR / "animer.py", title="Animer un atelier", icon=":material/groups:",
                    url_path="animer"),
            st.Page(PAGES_DIR / "projection.py", title="Projection de l'atelier",
                    icon=":material/co_present:", url_path="projection"),
            st.Page(PAGES_DIR / "participer.py", title="Participer", icon=":material/smartphone:",
                    url_path="participer"),
        ],
        "Préparer une restitution": [
            st.Page(PAGES_DIR / "restitution.py", title="Préparer une restitution",
                    icon=":material/description:", url_path="restitution"),
        ],
        "Données": [
            st.Page(PAGES_DIR / "sources.py", title="Sources des données", icon=":material/menu_book:",
                    url_path="sources"),
            st.Page(PAGES_DIR / "donnees.py", title="Gérer les données",
                    icon=":material/admin_panel_settings:", url_path="donnees"),
        ],
    }


st.set_page_config(page_title="Essaim", page_icon=str(Path(__file__).parent / "static" / "essaim.png"), layout="wide")
install_vendor_assets()
page = st.navigation(build_navigation())
draw_frame()
page.run()
