"""Accueil: what Essaim is, headline figures and the three ways in."""

import streamlit as st

from components.cards import draw_entry_card
from components.data_access import current_dataset, workshop_count
from components.routing import route_page_through_app
from essaim.data.model import STAGES
from essaim.numbers.formatting import format_number, plural
from essaim.site_map import page_file

route_page_through_app()

dataset = current_dataset()
counts = dataset.headline_counts()

st.title("Essaim")
st.markdown(
    f"Essaim met en dialogue les acteurs des **{plural(counts['territories'], 'territoire')}** où "
    "l'Accélérateur d'innovation sociale #Emploi a essaimé ses innovations, autour d'indicateurs "
    "co-construits et de données de référence partagées. Il sert à animer les ateliers, à explorer "
    "un territoire et à préparer les restitutions."
)

columns = st.columns(4)
columns[0].metric("Territoires", format_number(counts["territories"]))
columns[1].metric("Innovations", format_number(counts["innovations"]))
columns[2].metric("Partenaires", format_number(counts["partners"]))
columns[3].metric("Ateliers tenus", format_number(workshop_count()))

st.header("Par où commencer ?")
entries = st.columns(3)
draw_entry_card(entries[0], ":material/map: Explorer mon territoire",
                "La carte des territoires, les innovations présentes et les chiffres clés de "
                "chacun, comparés au département.",
                [(page_file("carte"), "Ouvrir la carte des territoires", ":material/arrow_forward:")])
draw_entry_card(entries[1], ":material/how_to_vote: Animer un atelier",
                "Projeter la grille d'évaluation et la faire ajuster en direct par les "
                "participants depuis leur téléphone.",
                [(page_file("animer"), "Créer ou reprendre une séance", ":material/arrow_forward:"),
                 (page_file("participer"), "Je participe (code de séance)", ":material/smartphone:")])
draw_entry_card(entries[2], ":material/description: Préparer une restitution",
                "Rassembler cartes, indicateurs et sources pour les documents remis aux "
                "partenaires.",
                [(page_file("restitution"), "Préparer les documents", ":material/arrow_forward:"),
                 (page_file("sources"), "Données et sources", ":material/menu_book:")])

st.header("Où en sont les essaimages ?")
by_stage = dataset.essaimages["stage"].value_counts()
stage_columns = st.columns(len(STAGES))
for column, (code, label) in zip(stage_columns, STAGES.items()):
    column.metric(label, format_number(by_stage.get(code, 0)))
st.caption(
    f"{format_number(counts['essaimages'])} essaimages (une innovation dans un territoire) "
    "selon l'étape atteinte de la feuille de route de l'accélérateur."
)
