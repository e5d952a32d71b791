"""The blocks of « Gérer les données » (administration): dataset versions, templates, imports
and exports. Decisions are made in essaim.imports.importer and essaim.imports.templates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data_access import clear_data_caches, communes, departements
from components.import_view import draw_import_commit, draw_import_errors, draw_import_previews
from components.tables import show_dataset_downloads
from components.territory_map import contours
from essaim.imports import importer
from essaim.imports.specs import SPECS
from essaim.imports.templates import template_csv, template_xlsx


def draw_dataset_versions(engine, dataset) -> None:
    """Every dataset kept, which one is active, going back to another one, and the exports."""
    st.subheader("Jeux de données")
    versions = importer.list_datasets(engine)
    st.dataframe(pd.DataFrame({
        "N°": versions["id"], "Nature": versions["kind"].map(
            {"demo": "Démonstration (fictive)", "import": "Importé"}),
        "Libellé": versions["label"], "Origine": versions["source"],
        "Par": versions["created_by"],
        "Le": pd.to_datetime(versions["created_at"], utc=True).dt.tz_convert(
            "Europe/Paris").dt.strftime("%d/%m/%Y %H:%M"),
        "Actif": versions["active"].map({True: "oui", False: ""}),
        "Données fictives": versions["demo_tables"].map(lambda t: "oui" if t and t != "[]"
                                                        else ""),
    }), hide_index=True, width="stretch")
    choices = [int(i) for i in versions["id"] if i != dataset.id]
    if choices:
        left, right = st.columns([3, 1])
        labels = versions.set_index("id")["label"]
        target = left.selectbox("Revenir à un autre jeu (les autres restent conservés)", choices,
                                format_func=lambda i: f"n°{i} — {labels.at[i]}")
        if right.button("Activer ce jeu", width="stretch"):
            importer.activate_dataset(engine, target)
            clear_data_caches()
            st.rerun()
    st.subheader("Exporter les données")
    show_dataset_downloads(dataset, "essaim_donnees",
                           "Toutes les tables (XLSX, une feuille par table)",
                           "Toutes les tables (CSV, archive ZIP)",
                           cache_key=f"{dataset.cache_key}:tout")


def draw_templates() -> None:
    """Each table's template (XLSX with explanations, CSV)."""
    st.subheader("Modèles de fichiers")
    st.caption("Colonnes en français, une ligne d'exemple ; le classeur XLSX explique chaque "
               "colonne, dont les rôles des indicateurs (chiffre clé, bénéficiaires, montant "
               "investi, coût évité, critère de grille).")
    for table_name, spec in SPECS.items():
        columns = st.columns([2, 1, 1])
        columns[0].markdown(f"**{spec.label}**")
        columns[1].download_button(
            "Modèle XLSX", template_xlsx(table_name), file_name=f"modele_{spec.file_name}.xlsx",
            key=f"tpl_xlsx_{table_name}", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        columns[2].download_button(
            "Modèle CSV", template_csv(table_name), file_name=f"modele_{spec.file_name}.csv",
            key=f"tpl_csv_{table_name}", on_click="ignore", mime="text/csv")


def draw_import(engine, dataset) -> None:
    """Upload, full checks, what changes, confirmation, commit."""
    st.subheader("Importer des données")
    st.caption("CSV (séparateur ; ou ,, UTF-8, UTF-16 ou Windows-1252) ou XLSX (un classeur peut "
               "contenir plusieurs tables, une par feuille, comme l'export d'Essaim), 20 Mo au "
               "plus par fichier. Chaque table fournie remplace la table correspondante ; rien "
               "n'est écrit tant qu'une erreur subsiste, et le jeu actuel reste disponible pour y "
               "revenir.")
    uploads = st.file_uploader("Fichiers à importer", type=["csv", "txt", "xlsx"],
                               accept_multiple_files=True, key="import_files")
    if uploads:
        result = importer.validate_files({f.name: f.getvalue() for f in uploads}, dataset,
                                         communes(), departements(),
                                         contours("departements-web.geojson"))
        draw_import_previews(result)
        if result.errors:
            draw_import_errors(result.errors)
        else:
            draw_import_commit(engine, result, dataset)
    if st.session_state.get("import_done"):
        st.success(f"Import enregistré et activé (jeu n°{st.session_state['import_done']}).")
