"""Participer: phones take part on the light phone page (/participer, served by essaim.web, not
by a Streamlit script run per tap). Reached from the navigation, this page points to it."""

import streamlit as st

from components.routing import route_page_through_app
from components.workshop_ui import app_base_url
from essaim import workshops
from essaim.workshops.links import join_url

route_page_through_app()

code = workshops.normalise_code(st.query_params.get("seance", ""))
st.title("Participer à l'atelier")
st.markdown("La participation se fait sur une page légère, faite pour le téléphone : on y "
            "répartit 100 points, note la pertinence des critères, propose, commente et soutient "
            "les propositions de la salle. Chaque saisie est enregistrée sur le serveur avant "
            "d'être confirmée, et renvoyée d'elle-même après une coupure de réseau.")
base = app_base_url()
url = join_url(base, code) if code else f"{base}/participer"
st.link_button("Ouvrir la page de participation", url, type="primary", icon=":material/smartphone:")
st.caption(f"Adresse : {url} — ou flashez le QR code affiché sur l'écran de la salle.")
