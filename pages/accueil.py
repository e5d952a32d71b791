"""Accueil: what Essaim is, headline figures and the three ways in."""

import streamlit as st

from components.data_access import current_dataset, workshop_count
from essaim.formatting import format_number
from essaim.model import STAGES

dataset = current_dataset()
counts = dataset.headline_counts()

st.title("Essaim")
st.markdown(
    "Essaim met en dialogue les acteurs des **42 territoires** où l'Accélérateur d'innovation "
    "sociale #Emploi a essaimé ses innovations, autour d'indicateurs co-construits et de données "
    "de référence partagées. Il sert à animer les ateliers, à explorer un territoire et à préparer "
    "les restitutions."
)

columns = st.columns(4)
columns[0].metric("Territoires", format_number(counts["territories"]))
columns[1].metric("Innovations", format_number(counts["innovations"]))
columns[2].metric("Partenaires", format_number(counts["partners"]))
columns[3].metric("Ateliers tenus", format_number(workshop_count()))

st.subheader("Par où commencer ?")
entries = st.columns(3)
with entries[0].container(border=True):
    st.markdown("#### :material/map: Explorer mon territoire")
    st.markdown("La carte des territoires, les innovations présentes et les chiffres clés de "
                "chacun, comparés au département.")
    st.page_link("pages/carte.py", label="Ouvrir la carte des territoires", icon=":material/arrow_forward:")
with entries[1].container(border=True):
    st.markdown("#### :material/how_to_vote: Animer un atelier")
    st.markdown("Projeter la grille d'évaluation et la faire ajuster en direct par les "
                "participants depuis leur téléphone.")
    st.page_link("pages/animer.py", label="Créer ou reprendre une séance",
                 icon=":material/arrow_forward:")
    st.page_link("pages/participer.py", label="Je participe (code de séance)",
                 icon=":material/smartphone:")
with entries[2].container(border=True):
    st.markdown("#### :material/description: Préparer une restitution")
    st.markdown("Rassembler cartes, indicateurs et sources pour les documents remis aux "
                "partenaires.")
    st.page_link("pages/restitution.py", label="Préparer les documents",
                 icon=":material/arrow_forward:")
    st.page_link("pages/sources.py", label="Données et sources", icon=":material/menu_book:")

st.subheader("Où en sont les essaimages ?")
by_stage = dataset.essaimages["stage"].value_counts()
stage_columns = st.columns(len(STAGES))
for column, (code, label) in zip(stage_columns, STAGES.items()):
    column.metric(label, format_number(by_stage.get(code, 0)))
st.caption(
    f"{format_number(counts['essaimages'])} essaimages (une innovation dans un territoire) "
    "selon l'étape atteinte de la feuille de route de l'accélérateur."
)
